/** Partnership offers and overlaps API: thin handlers over consortium/service.ts. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import * as service from './service.ts';

/** Routes under /api/v1 for partnership offers and a call's overlapping organisations. */
export function consortiumApi(ctx: AppContext): Router {
  const router = Router();

  router.post('/calls/:id/offers', requireRole('applicant'), async (req, res) => {
    const offer = await service.createOffer(ctx, actorOf(req), param(req, 'id'), req.body);
    res.status(201).json(service.presentOffer(offer));
  });

  router.get('/calls/:id/offers', async (req, res) => {
    const offers = await service.listOffers(ctx, req.actor, param(req, 'id'));
    res.json({ items: offers.map(service.presentOffer) });
  });

  router.delete('/offers/:id', requireRole('applicant'), async (req, res) => {
    await service.deleteOffer(ctx, actorOf(req), param(req, 'id'));
    res.status(204).end();
  });

  router.get('/calls/:id/overlaps', requireRole('officer'), async (req, res) => {
    res.json({ items: await service.callOverlaps(ctx, actorOf(req), param(req, 'id')) });
  });

  return router;
}

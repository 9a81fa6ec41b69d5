/** After the deadline, API: clarifications and a bid's versions with what changed; thin handlers. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import * as service from './clarifications.ts';

/** Routes under /api/v1 for clarifications and versions. */
export function clarificationsApi(ctx: AppContext): Router {
  const router = Router();

  router.post('/bids/:id/clarifications', requireRole('officer'), async (req, res) => {
    res.status(201).json(await service.raiseClarification(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.get('/bids/:id/clarifications', async (req, res) => {
    res.json({ items: await service.listClarifications(ctx, req.actor, param(req, 'id')) });
  });

  router.post('/bids/:id/clarifications/:clarificationId/answer', requireRole('applicant'), async (req, res) => {
    res.json(
      await service.answerClarification(ctx, actorOf(req), param(req, 'id'), param(req, 'clarificationId'), req.body),
    );
  });

  router.get('/bids/:id/versions', async (req, res) => {
    res.json({ items: await service.listVersions(ctx, req.actor, param(req, 'id')) });
  });

  router.get('/bids/:id/versions/:from/changes/:to', async (req, res) => {
    const [from, to] = [Number(param(req, 'from')), Number(param(req, 'to'))];
    res.json({ changes: await service.changesBetweenVersions(ctx, req.actor, param(req, 'id'), from, to) });
  });

  return router;
}

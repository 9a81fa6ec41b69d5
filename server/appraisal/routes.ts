/** Appraisal API: thin handlers over appraisal/service.ts. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { APPRAISAL_FIELDS, presentCallAppraisal } from './presenter.ts';
import * as access from '../access/index.ts';
import * as service from './service.ts';
import { planObjective } from './planObjective.ts';

/** Routes under /api/v1 for the appraisal. */
export function appraisalApi(ctx: AppContext): Router {
  const router = Router();

  router.put('/calls/:id/panel', requireRole('officer'), async (req, res) => {
    res.json(await service.setPanel(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.post('/bids/:id/conflict', requireRole('appraiser'), async (req, res) => {
    res.json(await service.declareConflict(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.get('/bids/:id/scores/mine', requireRole('appraiser'), async (req, res) => {
    const actor = actorOf(req);
    const read = await access.readBid(ctx, actor, param(req, 'id'));
    res.json(
      await service.mySheet(ctx, access.sheetOfReader(actor, read, 'Only appraisers on the panel have score sheets')),
    );
  });

  router.put('/bids/:id/scores/mine', requireRole('appraiser'), async (req, res) => {
    res.json(await service.saveMyScores(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.get('/bids/:id/scores', async (req, res) => {
    const actor = actorOf(req);
    res.json(
      await service.bidScores(
        ctx,
        await access.readScores(ctx, actor, await access.readBid(ctx, actor, param(req, 'id'))),
      ),
    );
  });

  router.put('/bids/:id/moderation', requireRole('officer'), async (req, res) => {
    res.json(await service.moderate(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.get('/calls/:id/appraisal', requireRole('officer'), async (req, res) => {
    const { appraisal } = await service.callAppraisal(
      ctx,
      actorOf(req),
      param(req, 'id'),
      planObjective(req.query.objective),
      APPRAISAL_FIELDS,
    );
    res.json(presentCallAppraisal(appraisal));
  });

  router.post('/bids/:id/decision', requireRole('officer'), async (req, res) => {
    const decision = (await service.decide(ctx, actorOf(req), param(req, 'id'), req.body))!;
    res.json({ ...decision, feedback: decision.feedback ?? null, decidedAt: decision.decidedAt.toISOString() });
  });

  router.put('/calls/:id/release', requireRole('officer'), async (req, res) => {
    res.json(await service.setRelease(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.put('/bids/:id/feedback', requireRole('officer'), async (req, res) => {
    res.json(await service.writeFeedback(ctx, actorOf(req), param(req, 'id'), req.body));
  });

  router.get('/bids/:id/audit', async (req, res) => {
    res.json({ items: await service.bidAudit(ctx, actorOf(req), param(req, 'id')) });
  });

  return router;
}

/** Calls API: thin handlers over calls/service.ts. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { param } from '../web/params.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { keptPublishedCalls, type KeptCalls } from './keptCalls.ts';
import { presentCall, presentPublishedCallJson } from './presenter.ts';
import * as service from './service.ts';

function present({ call, warnings }: service.CallView) {
  return presentCall(call, warnings ? { warnings } : {});
}

/**
 * Routes under /api/v1 for the indicator catalogue and calls. `published`, the app's kept rows of published calls
 * (keptCalls.ts), lets a published call's answer to anyone but an officer skip reading its row.
 */
export function callsApi(ctx: AppContext, published: KeptCalls = keptPublishedCalls(ctx, undefined)): Router {
  const router = Router();

  router.get('/indicators', async (_req, res) => {
    res.json({ items: await service.indicators(ctx) });
  });

  router.get('/calls', async (req, res) => {
    const views = await service.listCalls(ctx, req.actor);
    res.json({ items: views.map(present) });
  });

  router.post('/calls', requireRole('officer'), async (req, res) => {
    res.status(201).json(present(await service.createCall(ctx, actorOf(req), req.body)));
  });

  router.get('/calls/:id', async (req, res) => {
    // To officers, getCall's view, with drafts and warnings; to everyone else the call as published, written from
    // the stored JSON text on the busiest read of a round.
    if (req.actor?.role === 'officer') res.json(present(await service.getCall(ctx, req.actor, param(req, 'id'))));
    else res.type('json').send(presentPublishedCallJson(await published.read(param(req, 'id')), ctx.clock.now()));
  });

  router.put('/calls/:id', requireRole('officer'), async (req, res) => {
    res.json(present(await service.replaceCall(ctx, actorOf(req), param(req, 'id'), req.body)));
  });

  router.post('/calls/:id/publish', requireRole('officer'), async (req, res) => {
    res.json(present(await service.publishCall(ctx, actorOf(req), param(req, 'id'))));
  });

  router.post('/calls/:id/close', requireRole('officer'), async (req, res) => {
    res.json(present(await service.closeCall(ctx, actorOf(req), param(req, 'id'))));
  });

  return router;
}

/** Calls API: thin handlers over calls/service.ts. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { param } from '../web/params.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { presentCall } from './presenter.ts';
import * as service from './service.ts';

function present({ call, warnings }: service.CallView) {
  return presentCall(call, warnings ? { warnings } : {});
}

/** Routes under /api/v1 for the indicator catalogue and calls. */
export function callsApi(ctx: AppContext): Router {
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
    const answer = await service.getCallAnswer(ctx, req.actor, param(req, 'id'));
    if ('json' in answer) res.type('json').send(answer.json);
    else res.json(present(answer));
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

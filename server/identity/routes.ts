/** Identity API: register, sign in and out, who am I, officers adding staff. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { endSession, signInThrottle, startSession } from './session.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import * as service from './service.ts';

/** Routes under /api/v1 for identity. */
export function identityApi(ctx: AppContext): Router {
  const router = Router();
  const throttle = signInThrottle(ctx);

  router.post('/register', async (req, res) => {
    const user = await service.register(ctx, req.body);
    await startSession(req, user.id);
    res.status(201).json(service.presentUser(user));
  });

  router.post('/session', async (req, res) => {
    await throttle(req, typeof req.body?.email === 'string' ? req.body.email : '');
    const user = await service.signIn(ctx, req.body);
    await startSession(req, user.id);
    res.json({ user: service.presentUser(user) });
  });

  router.delete('/session', async (req, res) => {
    actorOf(req);
    await endSession(req);
    res.status(204).end();
  });

  router.get('/me', async (req, res) => {
    const actor = actorOf(req);
    const user = await service.currentUser(ctx, actor.id);
    res.json(service.presentUser(user!));
  });

  router.post('/users', requireRole('officer'), async (req, res) => {
    const user = await service.createStaffUser(ctx, actorOf(req), req.body);
    res.status(201).json(service.presentUser(user));
  });

  return router;
}

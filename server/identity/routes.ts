/** Identity API: register, sign in and out, who am I, officers adding staff. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { endSession, startSession } from './session.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { registrationThrottle, signInThrottle } from './throttle.ts';
import * as service from './service.ts';
import { csrfToken } from '../web/csrf.ts';

/** Routes under /api/v1 for identity. */
export function identityApi(ctx: AppContext): Router {
  const router = Router();
  const throttle = signInThrottle(ctx);
  const registrations = registrationThrottle(ctx);

  router.post('/register', async (req, res) => {
    const user = await service.register(ctx, req.body, () => registrations(req));
    await startSession(req, user.id);
    res.status(201).json(service.presentUser(user));
  });

  router.post('/session', async (req, res) => {
    const attempt = await throttle(req, typeof req.body?.email === 'string' ? req.body.email : '');
    const user = await service.signIn(ctx, req.body);
    await attempt.succeeded();
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

  // For a client that uploads with the session cookie: it sends this back in X-CSRF-Token (web/csrf.ts).
  router.get('/csrf-token', (req, res) => {
    actorOf(req);
    res.json({ csrfToken: csrfToken(ctx.config, req, res) });
  });

  router.post('/users', requireRole('officer'), async (req, res) => {
    const user = await service.createStaffUser(ctx, actorOf(req), req.body);
    res.status(201).json(service.presentUser(user));
  });

  return router;
}

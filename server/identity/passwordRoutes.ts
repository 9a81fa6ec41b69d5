/** Password API: ask for a reset link, set a new password with one, and change one's own. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf } from '../web/guards.ts';
import { presentUser } from './service.ts';
import { startSession } from './session.ts';
import { passwordResetThrottle, signInThrottle } from './throttle.ts';
import * as service from './passwordService.ts';

/** Routes under /api/v1 for passwords. */
export function passwordApi(ctx: AppContext): Router {
  const router = Router();
  const resets = passwordResetThrottle(ctx);
  const signIns = signInThrottle(ctx);

  router.post('/password-reset', async (req, res) => {
    await service.requestPasswordReset(ctx, req.body, (email) => resets(req, email));
    res.status(202).json(service.RESET_REQUESTED);
  });

  // The person's sessions all end with the reset; the one who used the link is signed in afresh.
  router.post('/password-reset/:token', async (req, res) => {
    const user = await service.resetPassword(ctx, req.params.token, req.body);
    await startSession(req, user.id);
    res.json({ user: presentUser(user) });
  });

  // A wrong current password counts as a failed sign-in of the person's account.
  router.put('/me/password', async (req, res) => {
    const actor = actorOf(req);
    const attempt = await signIns(req, actor.email);
    const changed = await service.changePassword(ctx, actor, req.sessionID, req.body, () => attempt.succeeded());
    // The row has it already; this keeps express-session's save at the end of the request from writing the old one.
    req.session.generation = changed.generation;
    res.json({ otherSessionsEnded: changed.otherSessionsEnded });
  });

  return router;
}

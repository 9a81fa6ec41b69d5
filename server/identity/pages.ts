/** Sign-in and sign-out pages. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { AppError, toAppError } from '../errors.ts';
import { endSession, signInThrottle, startSession } from './session.ts';
import * as service from './service.ts';

/** The identity pages. */
export function identityPages(ctx: AppContext): Router {
  const router = Router();
  const throttle = signInThrottle(ctx);

  router.get('/sign-in', (_req, res) => {
    res.render('identity/sign-in', { pageTitle: 'Sign in' });
  });

  router.post('/sign-in', async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    try {
      await throttle(req, email);
      const user = await service.signIn(ctx, { email, password: String(req.body?.password ?? '') });
      await startSession(req, user.id);
      res.redirect(303, '/');
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const message = appError instanceof AppError && appError.status === 422 ? 'Enter your e-mail address and password' : appError.message;
      res.status(appError.status).render('identity/sign-in', {
        pageTitle: 'Sign in',
        email,
        errors: [{ field: 'email', message }],
      });
    }
  });

  router.post('/sign-out', async (req, res) => {
    await endSession(req);
    res.redirect(303, '/sign-in');
  });

  return router;
}

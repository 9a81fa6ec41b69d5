/** The pages for a forgotten password (ask for a link, then set a new one from it) and for changing one. */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { AppError, NotFound, Validation, type ErrorDetail } from '../errors.ts';
import { FormReader, toErrorItems, withoutUndefined, type ErrorItem } from '../web/forms.ts';
import { actorOf } from '../web/guards.ts';
import { setFlash } from '../web/flash.ts';
import { homePageOf } from './pages.ts';
import { startSession } from './session.ts';
import { passwordResetThrottle, signInThrottle } from './throttle.ts';
import * as service from './passwordService.ts';

/** The words a person reads for the schema's details about these forms' few fields. */
function inWords(detail: ErrorDetail): ErrorDetail {
  const missing = detail.message.startsWith('Required field');
  if (detail.path === '/email')
    return {
      ...detail,
      message: missing
        ? 'Enter your email address'
        : 'Enter an email address in the correct format, like name@example.com',
    };
  if (detail.path === '/password' || detail.path === '/newPassword')
    return {
      ...detail,
      message: missing ? 'Enter a new password' : 'The password must be between 12 and 200 characters',
    };
  if (detail.path === '/currentPassword' && missing) return { ...detail, message: 'Enter your current password' };
  return detail;
}

/** The summary's items, each field once: an address can break its format and its pattern at the same time. */
function errorItemsOf(error: Validation): ErrorItem[] {
  const items = toErrorItems(error.details.map(inWords));
  return items.filter((item, index) => items.findIndex((other) => other.field === item.field) === index);
}

/** The identity pages about passwords. */
export function passwordPages(ctx: AppContext): Router {
  const router = Router();
  const resets = passwordResetThrottle(ctx);
  const signIns = signInThrottle(ctx);

  const renderForgot = (res: Response, status: number, email = '', errors: ErrorItem[] = []) =>
    res.status(status).render('identity/forgot-password', {
      pageTitle: 'Reset your password',
      backLink: '/sign-in',
      email: { id: 'email', value: email, ...(errors[0] ? { error: errors[0].message } : {}) },
      errors,
    });

  router.get('/forgot-password', (_req, res) => renderForgot(res, 200));

  // The same page follows for any address: whether it has an account is never shown.
  router.post('/forgot-password', async (req, res) => {
    const email = new FormReader(req.body ?? {}).text('/email');
    try {
      await service.requestPasswordReset(ctx, withoutUndefined({ email }), (address) => resets(req, address));
    } catch (error) {
      if (error instanceof Validation) return renderForgot(res, 422, email, errorItemsOf(error));
      if (error instanceof AppError && error.status === 429)
        return renderForgot(res, 429, email, [{ field: 'email', message: error.message }]);
      throw error;
    }
    res.redirect(303, '/forgot-password/sent');
  });

  router.get('/forgot-password/sent', (_req, res) => {
    res.render('identity/forgot-password-sent', { pageTitle: 'Check your email' });
  });

  const renderInvalidLink = (res: Response) =>
    res.status(404).render('identity/reset-link-invalid', { pageTitle: 'That link does not work' });

  const renderReset = (req: Request, res: Response, status: number, errors: ErrorItem[] = []) =>
    res.status(status).render('identity/reset-password', {
      pageTitle: 'Create a new password',
      action: `/reset-password/${encodeURIComponent(req.params.token as string)}`,
      password: { id: 'password', value: '', ...(errors[0] ? { error: errors[0].message } : {}) },
      errors,
    });

  router.get('/reset-password/:token', async (req, res) => {
    try {
      await service.checkResetLink(ctx, req.params.token);
    } catch (error) {
      if (error instanceof NotFound) return renderInvalidLink(res);
      throw error;
    }
    renderReset(req, res, 200);
  });

  // A new password from the link signs the person in afresh: every session they had is ended by the reset.
  router.post('/reset-password/:token', async (req, res) => {
    const password = new FormReader(req.body ?? {}).exact('/password');
    let user;
    try {
      user = await service.resetPassword(ctx, req.params.token, withoutUndefined({ password }));
    } catch (error) {
      if (error instanceof NotFound) return renderInvalidLink(res);
      if (error instanceof Validation) return renderReset(req, res, 422, errorItemsOf(error));
      throw error;
    }
    await startSession(req, user.id);
    await setFlash(req, 'Your password has been changed. You have been signed out everywhere else.');
    res.redirect(303, homePageOf(user.role));
  });

  const renderChange = (res: Response, status: number, errors: ErrorItem[] = []) => {
    const errorOf = (field: string) => errors.find((item) => item.field === field)?.message;
    const field = (id: string) => ({ id, value: '', ...(errorOf(id) ? { error: errorOf(id) } : {}) });
    res.status(status).render('identity/change-password', {
      pageTitle: 'Change your password',
      currentPassword: field('currentPassword'),
      newPassword: field('newPassword'),
      errors,
    });
  };

  router.get('/change-password', (req, res) => {
    actorOf(req);
    renderChange(res, 200);
  });

  router.post('/change-password', async (req, res) => {
    const actor = actorOf(req);
    const form = new FormReader(req.body ?? {});
    const body = withoutUndefined({
      currentPassword: form.exact('/currentPassword'),
      newPassword: form.exact('/newPassword'),
    });
    try {
      const attempt = await signIns(req, actor.email);
      const changed = await service.changePassword(ctx, actor, req.sessionID, body, () => attempt.succeeded());
      req.session.generation = changed.generation;
    } catch (error) {
      if (error instanceof Validation) return renderChange(res, 422, errorItemsOf(error));
      if (error instanceof AppError && error.status === 429)
        return renderChange(res, 429, [{ field: 'currentPassword', message: error.message }]);
      throw error;
    }
    await setFlash(req, 'Your password has been changed. You have been signed out everywhere else.');
    res.redirect(303, homePageOf(actor.role));
  });

  return router;
}

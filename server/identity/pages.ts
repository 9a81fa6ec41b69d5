/** Sign-in, sign-out and registration pages. */
import { Router, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { AppError, Conflict, toAppError, Validation } from '../errors.ts';
import {
  errorsByField,
  fieldView,
  FormReader,
  optionsFor,
  ORGANISATION_TYPES,
  withoutUndefined,
  type ErrorItem,
  type FormValues,
} from '../web/forms.ts';
import { setFlash } from '../web/flash.ts';
import { endSession, startSession } from './session.ts';
import { registrationThrottle, signInThrottle } from './throttle.ts';
import * as service from './service.ts';

/**
 * Where a sign-in goes next when a page sent the person here to come back (an invitation's page); only such paths
 * are followed, so the form cannot send anyone off the site.
 */
function returnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/invitations\/[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

/** The identity pages. */
export function identityPages(ctx: AppContext): Router {
  const router = Router();
  const throttle = signInThrottle(ctx);
  const registrations = registrationThrottle(ctx);

  router.get('/sign-in', (req, res) => {
    res.render('identity/sign-in', { pageTitle: 'Sign in', next: returnPath(req.query.next) });
  });

  router.post('/sign-in', async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email : '';
    try {
      const attempt = await throttle(req, email);
      const user = await service.signIn(ctx, { email, password: String(req.body?.password ?? '') });
      await attempt.succeeded();
      await startSession(req, user.id);
      const home = { applicant: '/dashboard', officer: '/officer/calls', appraiser: '/appraisal' }[user.role];
      res.redirect(303, returnPath(req.body?.next) ?? home);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      const message =
        appError instanceof AppError && appError.status === 422
          ? 'Enter your e-mail address and password'
          : appError.message;
      res.status(appError.status).render('identity/sign-in', {
        pageTitle: 'Sign in',
        next: returnPath(req.body?.next),
        email,
        errors: [{ field: 'email', message }],
      });
    }
  });

  /** The registration form, with what was typed (never the password) and its errors. */
  const renderRegister = (res: Response, status: number, values: FormValues = {}, errors: ErrorItem[] = []) => {
    const byField = errorsByField(errors);
    const field = (id: string) => fieldView(values, byField, id);
    res.status(status).render('identity/register', {
      pageTitle: 'Register your organisation',
      errors,
      name: field('name'),
      email: field('email'),
      password: { id: 'password', value: '', ...(byField.password ? { error: byField.password } : {}) },
      organisationName: field('organisation-name'),
      organisationType: {
        ...field('organisation-type'),
        options: optionsFor(ORGANISATION_TYPES, field('organisation-type').value, null),
      },
      charityNumber: field('organisation-charityNumber'),
      companyNumber: field('organisation-companyNumber'),
    });
  };

  router.get('/register', (_req, res) => renderRegister(res, 200));

  // The form's fields are read into the API's register body, so the same schema and messages judge both.
  router.post('/register', async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const body = withoutUndefined({
      email: form.text('/email'),
      password: form.exact('/password'),
      name: form.text('/name'),
      organisation: withoutUndefined({
        name: form.text('/organisation/name'),
        type: form.text('/organisation/type'),
        charityNumber: form.text('/organisation/charityNumber'),
        companyNumber: form.text('/organisation/companyNumber')?.toUpperCase(),
      }),
    });
    try {
      const user = await service.register(ctx, body, () => registrations(req));
      await startSession(req, user.id);
      await setFlash(
        req,
        `Welcome, ${user.name}. ${user.organisation?.name ?? 'Your organisation'} is registered: start a bid on ` +
          `an open call.`,
      );
      res.redirect(303, '/dashboard');
    } catch (error) {
      if (!(error instanceof Validation || error instanceof Conflict)) throw error;
      renderRegister(
        res,
        error.status,
        values,
        form.errorItems(error.details.length > 0 ? error.details : [{ path: '/email', message: error.message }]),
      );
    }
  });

  router.post('/sign-out', async (req, res) => {
    await endSession(req);
    res.redirect(303, '/sign-in');
  });

  return router;
}

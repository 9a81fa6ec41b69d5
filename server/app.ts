/** The Express application: middleware, the API under /api/v1, the pages, and error handling. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { AppContext } from './context.ts';
import { apiErrorHandler, AppError, NotFound, toAppError, UnsupportedType } from './errors.ts';
import { identityApi } from './identity/routes.ts';
import { identityPages } from './identity/pages.ts';
import { loadActor, sessionForCookies, sessionMiddleware } from './identity/session.ts';
import { callsApi } from './calls/routes.ts';
import { callPages } from './calls/pages.ts';
import { appraiserPages } from './appraisal/pages.ts';
import { officerCallPages } from './calls/officerPages.ts';
import { officerAppraisalPages } from './appraisal/officerPages.ts';
import { callDashboardPage } from './appraisal/callDashboard.ts';
import { bidPages } from './bids/pages.ts';
import { bidsApi } from './bids/routes.ts';
import { exportsApi } from './exports/routes.ts';
import { templateImportApi } from './bids/templateImport/routes.ts';
import { appraisalApi } from './appraisal/routes.ts';
import { downloadsApi } from './exports/downloadRoutes.ts';
import { healthRoutes } from './health.ts';
import { useViews } from './web/views.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const govukDist = path.resolve(here, '../node_modules/govuk-frontend/dist/govuk');

export interface App {
  app: express.Express;
  /** Releases what the app holds open (the session store's pool). */
  close(): Promise<void>;
}

/**
 * JSON requests that change something must say they are JSON: a browser cannot send that cross-site
 * without CORS, which we never allow, so the session cookie cannot be ridden by another site's form.
 */
const requireJsonBodies: RequestHandler = (req, _res, next) => {
  const changes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (changes && hasBody && !req.is('application/json') && !req.is('multipart/form-data')) {
    throw new UnsupportedType('Send the request body as JSON with Content-Type: application/json');
  }
  next();
};

/** Builds the application around its services; tests build the same app around a test database. */
export function createApp(ctx: AppContext, databaseUrl: string): App {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  useViews(app);

  // Security headers from helmet: the pages' set for pages and files, and for the JSON API the set a JSON answer
  // needs (OWASP's REST Security Cheat Sheet), stricter where it matters: its content may load nothing and be
  // framed by nothing. The headers that only mean something to an HTML document are left off its every answer.
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'], 'form-action': ["'self'"] },
    },
  });
  const apiHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    frameguard: { action: 'deny' },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  app.use((req, res, next) => (req.path.startsWith('/api/') ? apiHeaders : pageHeaders)(req, res, next));
  app.use('/assets', express.static(path.join(govukDist, 'assets'), { maxAge: '1d' }));
  app.use('/stylesheets/govuk-frontend.min.css', express.static(path.join(govukDist, 'govuk-frontend.min.css')));
  app.use('/stylesheets/application.css', express.static(path.join(here, 'web/public/application.css')));
  app.use(healthRoutes(ctx));

  const sessions = sessionMiddleware(ctx, databaseUrl);

  // The JSON API.
  const api = express.Router();
  api.use(sessionForCookies(sessions.handler), loadActor(ctx));
  api.use(requireJsonBodies);
  api.use(express.json({ limit: '2mb' }));
  api.use(identityApi(ctx));
  api.use(callsApi(ctx));
  api.use(bidsApi(ctx));
  api.use(exportsApi(ctx));
  api.use(templateImportApi(ctx));
  api.use(appraisalApi(ctx));
  api.use(downloadsApi(ctx));
  api.use((_req, _res, next) => next(new NotFound('Endpoint')));
  api.use(apiErrorHandler);
  app.use('/api/v1', api);

  // The pages: every form post carries a CSRF token tied to the session.
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    // A multipart upload's body is read by its route's multer only after this check, so upload forms carry the
    // token in their action's query string instead (templates/partials/bid-upload.hbs). Reading it there for
    // multipart requests alone keeps the check in one place for every route and refuses a forged upload before
    // a byte of it is read; the URL is our own, and helmet's no-referrer policy keeps it from other sites.
    getTokenFromRequest: (req) => {
      const fromBody = (req.body as { _csrf?: string } | undefined)?._csrf;
      if (fromBody === undefined && req.is('multipart/form-data') && typeof req.query._csrf === 'string') return req.query._csrf;
      return fromBody;
    },
  });
  const pages = express.Router();
  pages.use(sessionForCookies(sessions.handler), loadActor(ctx));
  // The pages with a form for someone not yet signed in need a session for its CSRF token even on a first visit.
  pages.use(['/sign-in', '/register'], sessions.handler);
  pages.use(express.urlencoded({ extended: false, limit: '1mb' }));
  pages.use(csrfSynchronisedProtection);
  pages.use((req, res, next) => {
    res.locals.actor = req.actor;
    // Made when a form on the page first asks for it (Handlebars calls a function it finds in the context), so a
    // page without forms leaves an anonymous visitor without a session: made eagerly, every anonymous view of a
    // public page stored a session row and set a cookie (found by `npm run bench`).
    res.locals.csrfToken = () => {
      if (!req.session) throw new Error(`${req.path} shows a form to a visitor without a session: add it to the pages that get one (app.ts)`);
      return generateToken(req);
    };
    next();
  });
  pages.use(identityPages(ctx));
  pages.use(callPages(ctx));
  pages.use(appraiserPages(ctx));
  pages.use(officerCallPages(ctx));
  pages.use(callDashboardPage(ctx));
  pages.use(officerAppraisalPages(ctx));
  pages.use(bidPages(ctx));
  pages.use((_req, _res, next) => next(new NotFound('Page')));
  pages.use(pageErrorHandler);
  app.use(pages);

  return { app, close: sessions.close };
}

const HEADINGS: Record<number, string> = {
  400: 'There is a problem with that request',
  401: 'Sign in to see this page',
  403: 'You cannot see this page',
  404: 'Page not found',
  409: 'That cannot be done now',
  413: 'That file is too large',
  415: 'That type of file is not accepted',
  503: 'Sorry, the service is unavailable',
};

const pageErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if ((error as { code?: string }).code === 'EBADCSRFTOKEN') {
    error = new AppError(403, 'csrf', 'The form had expired or did not come from this service. Go back, reload the page and try again.');
  }
  const appError = toAppError(error);
  if (appError.status === 401) return res.redirect(303, `/sign-in`);
  if (appError.status >= 500 && appError.status !== 503) console.error(error);
  res.status(appError.status).render('errors/error', {
    pageTitle: HEADINGS[appError.status] ?? 'Sorry, there is a problem with the service',
    heading: HEADINGS[appError.status] ?? 'Sorry, there is a problem with the service',
    message: appError.message,
  });
};

/** The Express application: middleware, the API under /api/v1, the pages, and error handling. */
import path from 'node:path';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.ts';
import { apiErrorHandler, NotFound, toAppError } from './errors.ts';
import { identityApi } from './identity/routes.ts';
import { identityPages } from './identity/pages.ts';
import { passwordApi } from './identity/passwordRoutes.ts';
import { passwordPages } from './identity/passwordPages.ts';
import { loadActor, sessionForCookies, sessionMiddleware } from './identity/session.ts';
import { callsApi } from './calls/routes.ts';
import { callPages } from './calls/pages.ts';
import { appraiserPages } from './appraisal/pages.ts';
import { officerCallPages } from './calls/officerPages.ts';
import { officerAppraisalPages } from './appraisal/officerPages.ts';
import { officerClarificationPages } from './appraisal/clarificationPages.ts';
import { mailPages } from './mail/pages.ts';
import { callDashboardPage } from './appraisal/callDashboard.ts';
import { bidPages } from './bids/pages.ts';
import { clarificationPages, CLARIFICATION_UPLOAD_PATHS } from './bids/clarificationPages.ts';
import { bidsApi } from './bids/routes.ts';
import { clarificationsApi } from './bids/clarificationRoutes.ts';
import { consortiumApi } from './consortium/routes.ts';
import { offerPages } from './consortium/pages.ts';
import { exportsApi } from './exports/routes.ts';
import { templateImportApi } from './bids/templateImport/routes.ts';
import { appraisalApi } from './appraisal/routes.ts';
import { downloadsApi } from './exports/downloadRoutes.ts';
import { peopleApi } from './people/routes.ts';
import { peoplePages } from './people/pages.ts';
import { healthRoutes } from './health.ts';
import { changeFeed } from './db/changeFeed.ts';
import { keptPublishedCalls } from './calls/keptCalls.ts';
import { createLogger, requestLogger } from './logger.ts';
import { observeRequests } from './metrics.ts';
import { projectRoot } from './paths.ts';
import { useViews } from './web/views.ts';
import { apiForgeryGuard, BadCsrfToken, csrfToken, pageForgeryGuard } from './web/csrf.ts';
import { PAGE_UPLOAD_PATHS } from './bids/pages.ts';

const govukDist = path.join(projectRoot, 'node_modules/govuk-frontend/dist/govuk');

export interface App {
  app: express.Express;
  /** Releases what the app holds open (the session store's pool, the call change feed's connection). */
  close(): Promise<void>;
}

/** Nothing said to a signed-in person is kept by a browser's or proxy's cache, errors included. */
const noStoreWhenSignedIn: RequestHandler = (req, res, next) => {
  if (req.actor) res.setHeader('Cache-Control', 'no-store');
  next();
};

/**
 * The largest JSON body the API reads: a large bid, every narrative written to its 20,000-character limit, comes to
 * under half of it (a test builds one), and anything past it is refused before it is parsed.
 */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Builds the application around its services; tests build the same app around a test database. */
export function createApp(ctx: AppContext, databaseUrl: string): App {
  const app = express();
  app.set('trust proxy', ctx.config.trustProxy);
  app.disable('x-powered-by');
  useViews(app);
  const logger = ctx.logger ?? createLogger(ctx.config);
  app.use(requestLogger(logger));
  if (ctx.config.metricsPort !== undefined) app.use(observeRequests);

  // Security headers from helmet: the pages' set for pages and files, and for the JSON API the set a JSON answer
  // needs (OWASP's REST Security Cheat Sheet), stricter where it matters: its content may load nothing and be
  // framed by nothing. The headers that only mean something to an HTML document are left off its every answer.
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'form-action': ["'self'"],
      },
    },
  });
  const apiHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
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
  app.use('/stylesheets/application.css', express.static(path.join(projectRoot, 'server/web/public/application.css')));
  app.use(healthRoutes(ctx));

  const sessions = sessionMiddleware(ctx, databaseUrl);
  // Changes to calls' rows as they commit (a trigger announces them), so the public call page and the API's answer
  // need not read its row.
  const feedUrl = ctx.config.changeFeedUrl ?? databaseUrl;
  const callChanges =
    feedUrl === 'off'
      ? undefined
      : changeFeed(feedUrl, 'call_changes', {
          onLoss: (error) =>
            logger.warn({ err: error }, 'call change feed lost: call pages read rows until it is back'),
        });
  // The published calls' rows as that feed lets them be kept: one for the page and the API.
  const publishedCalls = keptPublishedCalls(ctx, callChanges);

  // The JSON API.
  const api = express.Router();
  api.use(sessionForCookies(sessions.handler, sessions.cookieName), loadActor(ctx), noStoreWhenSignedIn);
  api.use(apiForgeryGuard(ctx.config, sessions.cookieName));
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  api.use(identityApi(ctx));
  api.use(passwordApi(ctx));
  api.use(callsApi(ctx, publishedCalls));
  api.use(bidsApi(ctx));
  api.use(clarificationsApi(ctx));
  api.use(consortiumApi(ctx));
  api.use(exportsApi(ctx));
  api.use(templateImportApi(ctx));
  api.use(appraisalApi(ctx));
  api.use(downloadsApi(ctx));
  api.use(peopleApi(ctx));
  api.use((_req, _res, next) => next(new NotFound('Endpoint')));
  api.use(apiErrorHandler);
  app.use('/api/v1', api);

  // The pages: every form post carries a CSRF token tied to the session, or before sign-in to a cookie of its own.
  const pages = express.Router();
  pages.use(sessionForCookies(sessions.handler, sessions.cookieName), loadActor(ctx), noStoreWhenSignedIn);
  pages.use(express.urlencoded({ extended: false, limit: '1mb' }));
  pages.use(pageForgeryGuard(ctx.config, [...PAGE_UPLOAD_PATHS, ...CLARIFICATION_UPLOAD_PATHS]));
  pages.use((req, res, next) => {
    res.locals.actor = req.actor;
    // A session that ended on this request (30 minutes idle, 8 hours old, a new password) says so on the page.
    res.locals.sessionNotice = req.sessionEnded?.message;
    // Made when a form on the page first asks for it (Handlebars calls a function it finds in the context), so a
    // page without forms sets no cookie.
    res.locals.csrfToken = () => csrfToken(ctx.config, req, res);
    next();
  });
  pages.use(identityPages(ctx));
  pages.use(passwordPages(ctx));
  pages.use(callPages(ctx, publishedCalls));
  pages.use(offerPages(ctx));
  pages.use(appraiserPages(ctx));
  pages.use(officerCallPages(ctx));
  pages.use(callDashboardPage(ctx));
  pages.use(officerAppraisalPages(ctx));
  pages.use(officerClarificationPages(ctx));
  pages.use(mailPages(ctx));
  pages.use(clarificationPages(ctx));
  pages.use(bidPages(ctx));
  pages.use(peoplePages(ctx));
  pages.use((_req, _res, next) => next(new NotFound('Page')));
  pages.use(pageErrorHandler);
  app.use(pages);

  return {
    app,
    close: async () => {
      await callChanges?.close();
      await sessions.close();
    },
  };
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
  const appError = toAppError(error);
  // A session that has just ended leaves its form's CSRF token bound to it, so that refusal means the same.
  if (req.sessionEnded && (appError.status === 401 || error instanceof BadCsrfToken))
    return res.redirect(303, `/sign-in?ended=${req.sessionEnded.reason}`);
  if (appError.status === 401) return res.redirect(303, `/sign-in`);
  if (appError.status >= 500 && appError.status !== 503) req.log.error({ err: error }, 'unexpected error');
  res.status(appError.status).render('errors/error', {
    pageTitle: HEADINGS[appError.status] ?? 'Sorry, there is a problem with the service',
    heading: HEADINGS[appError.status] ?? 'Sorry, there is a problem with the service',
    message: appError.message,
  });
};

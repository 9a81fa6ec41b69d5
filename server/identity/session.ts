/** Sessions in Postgres and the signed-in actor on each request (the guards routes use are in web/guards.ts). */
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import { createHash } from 'node:crypto';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Actor, AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { currentActor } from './service.ts';
import { APPLICATION_NAME } from '../db/database.ts';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    flash?: string;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor;
    }
  }
}

export const SESSION_COOKIE = 'fc.sid';

/**
 * The pool as the session store uses it (only its `query`), each of the store's few fixed queries run as a
 * prepared statement (as db/prepared.ts explains) named by its text: reading the session is one of a signed-in
 * request's round trips.
 */
export function preparingPool(pool: pg.Pool): pg.Pool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) names.set(text, (name = `sessions.${createHash('sha1').update(text).digest('hex').slice(0, 12)}`));
    return name;
  };
  const query = (text: string, values?: unknown[]) => pool.query({ name: nameOf(text), text, values });
  return { query } as unknown as pg.Pool;
}

/** express-session with its store in the `sessions` table; the cookie is HttpOnly and SameSite=Lax. */
export function sessionMiddleware(ctx: AppContext, databaseUrl: string): { handler: RequestHandler; close(): Promise<void> } {
  const PgStore = connectPgSimple(session);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, application_name: APPLICATION_NAME });
  // A dropped connection must not crash the process; the next request simply gets a new one.
  pool.on('error', () => {});
  const store = new PgStore({
    pool: preparingPool(pool),
    tableName: 'sessions',
    createTableIfMissing: false,
    // Expired sessions are deleted every 15 minutes or so (the timer is unref'd and randomised per process).
    pruneSessionInterval: 15 * 60,
    // No write to the session row on every request: a session lasts eight hours from sign-in, not from last use.
    disableTouch: true,
    // Store errors reach the error handler (503 when the database is down); one line in the log is enough.
    errorLog: (error: unknown) => console.warn(`session store: ${(error as Error)?.message ?? error}`),
  });
  const handler = session({
    name: SESSION_COOKIE,
    store,
    secret: ctx.config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      maxAge: 8 * 60 * 60 * 1000,
    },
  });
  return {
    handler,
    close: async () => {
      await store.close();
      await pool.end().catch(() => {});
    },
  };
}

/**
 * The session middleware, skipped for reads that carry no session cookie (the public reading calls): with
 * nothing to load and nothing to save, express-session would still make, hash and drop a session for each one.
 * A page that shows such a visitor a form must be given the session middleware itself (app.ts).
 */
export function sessionForCookies(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const reads = req.method === 'GET' || req.method === 'HEAD';
    if (reads && !req.headers.cookie?.includes(`${SESSION_COOKIE}=`)) return next();
    return handler(req, res, next);
  };
}

/** Puts the signed-in actor, if any, on `req.actor`. */
export function loadActor(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    const userId = req.session?.userId;
    if (userId) {
      req.actor = await currentActor(ctx, userId);
    }
    next();
  };
}

/** Starts a fresh session for a user (a new id, so a session fixed before sign-in is useless). */
export function startSession(req: Request, userId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      req.session.userId = userId;
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()));
    });
  });
}

/** Ends the session: the row is deleted, so a replayed cookie finds nothing. */
export function endSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) return resolve();
    req.session.destroy((error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Sign-in throttling shared by every process through Postgres: per e-mail and address, then per address.
 * Returns a function that consumes one attempt and throws 429 when the limit is spent.
 */
export function signInThrottle(ctx: AppContext) {
  const perAccount = new RateLimiterPostgres({
    storeClient: ctx.knex,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix: 'signin-account',
    points: 10,
    duration: 15 * 60,
  });
  const perAddress = new RateLimiterPostgres({
    storeClient: ctx.knex,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix: 'signin-address',
    points: 100,
    duration: 15 * 60,
  });
  return async (req: Request, email: string): Promise<void> => {
    const address = req.ip ?? 'unknown';
    try {
      await perAddress.consume(address);
      await perAccount.consume(`${email.toLowerCase()}|${address}`);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        const minutes = Math.ceil(rejection.msBeforeNext / 60000);
        throw new AppError(429, 'too-many-attempts', `Too many sign-in attempts; try again in ${minutes} minutes`);
      }
      throw rejection;
    }
  };
}

/** Sessions in Postgres and the signed-in actor on each request (the guards routes use are in web/guards.ts). */
import type { Request, RequestHandler } from 'express';
import session from 'express-session';
import { createHash } from 'node:crypto';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import type { Actor, AppContext, Clock } from '../context.ts';
import { findActor } from './repository.ts';
import { sessionGenerationOf } from './passwordRepository.ts';
import { APPLICATION_NAME } from '../db/database.ts';
import { cookieName, cookieValue } from '../web/csrf.ts';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    flash?: string;
    /** When the person signed in, by the session clock (ms): it ends ABSOLUTE_LIMIT_MS later, however busy. */
    signedInAt?: number;
    /** The last request by the session clock (ms), to within LAST_SEEN_RESOLUTION_MS: it ends IDLE_LIMIT_MS later. */
    lastSeenAt?: number;
    /** The user's session_generation when this session signed in (or changed the password): an older one is refused. */
    generation?: number;
    /** When the cookie and the stored row expire, in real time (ms): eight hours from sign-in, never moved on. */
    expiresAt?: number;
  }
}

/** Why a session was ended on this request: too long without a request, too long since sign-in, or a new password. */
export type SessionEnd = 'idle' | 'expired' | 'password';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor?: Actor;
      /** Set when this request came with a session that has just been ended, and why, in words for the person. */
      sessionEnded?: { reason: SessionEnd; message: string };
    }
  }
}

/** A session ends after this long without a request. */
export const IDLE_LIMIT_MS = 30 * 60 * 1000;

/** A session ends this long after sign-in, however busy it is. */
export const ABSOLUTE_LIMIT_MS = 8 * 60 * 60 * 1000;

/**
 * How stale the stored last request may grow before a request writes it again: each write is an upsert of the
 * session row, so a person's burst of requests writes it once, and the idle limit is kept to within this.
 */
export const LAST_SEEN_RESOLUTION_MS = 1000;

/** What the person is told when their session has ended, on the sign-in page and in the API's 401. */
export const SESSION_END_MESSAGES: Record<SessionEnd, string> = {
  idle: 'You were signed out because there was no activity for 30 minutes. Sign in again to carry on.',
  expired: 'You were signed out because you had been signed in for 8 hours. Sign in again to carry on.',
  password: 'You were signed out because the password was changed. Sign in with the new password.',
};

/** Whether a session's own times have run out at `nowMs`: its age past the absolute limit, or its idle time. */
export function timeLimitReached(
  session: { signedInAt?: number; lastSeenAt?: number },
  nowMs: number,
): SessionEnd | undefined {
  // A session from before these times were kept has neither: it is ended, and its person signs in again once.
  if (session.signedInAt === undefined || session.lastSeenAt === undefined) return 'expired';
  if (nowMs - session.signedInAt >= ABSOLUTE_LIMIT_MS) return 'expired';
  if (nowMs - session.lastSeenAt >= IDLE_LIMIT_MS) return 'idle';
  return undefined;
}

/** The clock sessions are timed by: the server's, unless the context gives sessions one of their own (tests). */
export function sessionClockOf(ctx: AppContext): Clock {
  return ctx.sessionClock ?? ctx.clock;
}

// The context each request's session functions work in (startSession reads the clock and the user's generation),
// recorded by loadActor, so the many callers of startSession need pass only the request.
const requestContexts = new WeakMap<Request, AppContext>();

/** The session cookie's name, before any __Host- prefix (cookieName in web/csrf.ts). */
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
export function sessionMiddleware(
  ctx: AppContext,
  databaseUrl: string,
): { handler: RequestHandler; cookieName: string; close(): Promise<void> } {
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
    // No touch of the row on every request: loadActor writes it when the last request's time needs moving on,
    // keeping its expiry eight hours from sign-in (the limits themselves are kept from the times in the session).
    disableTouch: true,
    // Store errors reach the error handler (503 when the database is down); one line in the log is enough.
    errorLog: (error: unknown) => console.warn(`session store: ${(error as Error)?.message ?? error}`),
  });
  const name = cookieName(ctx.config, SESSION_COOKIE);
  const handler = session({
    name,
    store,
    secret: ctx.config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.secureCookies,
      maxAge: ABSOLUTE_LIMIT_MS,
    },
  });
  return {
    handler,
    cookieName: name,
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
export function sessionForCookies(handler: RequestHandler, name: string): RequestHandler {
  return (req, res, next) => {
    const reads = req.method === 'GET' || req.method === 'HEAD';
    if (reads && cookieValue(req, name) === undefined) return next();
    return handler(req, res, next);
  };
}

/**
 * Puts the signed-in actor, if any, on `req.actor`; or ends the session, saying why on `req.sessionEnded`, when it
 * has gone 30 minutes without a request, is 8 hours old, or was signed in before the password last changed. A
 * session still in use has its last request's time moved on.
 */
export function loadActor(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    requestContexts.set(req, ctx);
    const session = req.session;
    const userId = session?.userId;
    if (!userId) return next();
    const now = sessionClockOf(ctx).now().getTime();
    let ended = timeLimitReached(session, now);
    if (!ended) {
      const found = await findActor(ctx.knex, userId);
      if (found && found.sessionGeneration === session.generation) {
        const { sessionGeneration: _generation, ...actor } = found;
        req.actor = actor;
        if (now - session.lastSeenAt! >= LAST_SEEN_RESOLUTION_MS) session.lastSeenAt = now;
        // express-session moved the cookie's expiry on as it loaded the session: whenever the row is written, it
        // keeps the first one.
        if (session.expiresAt !== undefined) session.cookie.expires = new Date(session.expiresAt);
        return next();
      }
      // A user who no longer exists has nothing to be told.
      ended = found ? 'password' : undefined;
    }
    await endSession(req);
    if (ended) req.sessionEnded = { reason: ended, message: SESSION_END_MESSAGES[ended] };
    next();
  };
}

/**
 * Starts a fresh session for a user (a new id, so a session fixed before sign-in is useless), stamped with the
 * sign-in instant and the user's session generation. Call it after loadActor has run on the request.
 */
export async function startSession(req: Request, userId: string): Promise<void> {
  const ctx = requestContexts.get(req);
  if (!ctx) throw new Error('startSession needs loadActor to have run on the request');
  const generation = await sessionGenerationOf(ctx.knex, userId);
  const now = sessionClockOf(ctx).now().getTime();
  await new Promise<void>((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      const expiresAt = req.session.cookie.expires?.getTime();
      Object.assign(req.session, { userId, signedInAt: now, lastSeenAt: now, generation, expiresAt });
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

/**
 * Cross-site request forgery: the token a form or an API client sends back, and the check of where a request came
 * from. The token is a keyed hash of what ties the browser to us (its session once signed in, before that a cookie
 * of its own), so nothing is stored for it: an anonymous visit to the sign-in form leaves no session row behind.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../config.ts';
import { AppError, UnsupportedType } from '../errors.ts';

/** The header an API client sends the token in. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** A cookie's name: with the __Host- prefix when cookies are always Secure, so no other site's page can set it. */
export function cookieName(config: Pick<Config, 'secureCookies'>, base: string): string {
  return config.secureCookies === true ? `__Host-${base}` : base;
}

/** The value of the cookie `name` the request carries, if any. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

const ANONYMOUS = 'fc.csrf';

function sign(config: Config, binding: string): string {
  return createHmac('sha256', config.sessionSecret).update(`csrf|${binding}`).digest('base64url');
}

/** What the token is bound to: the session of someone signed in, or the anonymous cookie (made if asked and missing). */
function binding(config: Config, req: Request, res: Response | undefined): string | undefined {
  if (req.session?.userId) return `session|${req.sessionID}`;
  const name = cookieName(config, ANONYMOUS);
  let value = cookieValue(req, name);
  if (!value && res) {
    value = randomBytes(32).toString('base64url');
    const secure = config.secureCookies === 'auto' ? req.secure : config.secureCookies;
    res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
  }
  return value ? `anonymous|${value}` : undefined;
}

/** The token for a form shown, or an API client asking, on this request. */
export function csrfToken(config: Config, req: Request, res: Response): string {
  return sign(config, binding(config, req, res)!);
}

/** Whether `token` is the one this request's session (or anonymous cookie) was given. */
export function validCsrfToken(config: Config, req: Request, token: unknown): boolean {
  const bound = binding(config, req, undefined);
  if (!bound || typeof token !== 'string') return false;
  const expected = Buffer.from(sign(config, bound));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A refused token, worded for people (the pages) and programs (the API) alike. */
export class BadCsrfToken extends AppError {
  constructor(
    message = 'The form had expired or did not come from this service. Go back, reload the page and try again.',
  ) {
    super(403, 'csrf', message);
  }
}

/**
 * Whether a browser says the request came from another site (Fetch Metadata, else Origin). A page of another
 * origin on our own site (a sibling subdomain) counts: SameSite cookies do not stop it. Programs send neither.
 */
export function fromAnotherSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  if (!origin) return false;
  if (!URL.canParse(origin)) return true;
  return new URL(origin).host !== req.get('host');
}

/** The refusal of a request from another site. */
export class CrossSite extends AppError {
  constructor() {
    super(403, 'cross-site', 'Requests from other sites are refused');
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The API's guard. A request riding the session cookie that changes something must show another site's page did not
 * send it: no browser says it came from another site, and it is JSON (which a browser sends cross-site only after a
 * CORS preflight, never allowed here), even with no body, or a multipart upload with the token in X-CSRF-Token.
 * Without the cookie there is nothing to ride, but a body must still be JSON or multipart.
 */
export function apiForgeryGuard(config: Config, sessionCookie: string) {
  return (req: Request, _res: Response, next: (error?: unknown) => void): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const withCookie = cookieValue(req, sessionCookie) !== undefined;
    const type = mediaType(req);
    if (withCookie && fromAnotherSite(req)) throw new CrossSite();
    if (type === 'multipart/form-data') {
      if (withCookie && !validCsrfToken(config, req, req.get(CSRF_HEADER)))
        throw new BadCsrfToken(
          `Send the token from GET /api/v1/csrf-token in the ${CSRF_HEADER} header with a multipart request`,
        );
      return next();
    }
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (type !== 'application/json' && (withCookie || hasBody))
      throw new UnsupportedType('Send the request with Content-Type: application/json, even when it has no body');
    next();
  };
}

/**
 * The pages' guard: no form post from another site, and each carries its token in `_csrf`. A multipart upload to
 * one of `uploadPaths` is let through to its route, which checks the token in the form's first field before it
 * reads the file (receiveFile); a multipart post anywhere else is refused, as nothing there would check it.
 */
export function pageForgeryGuard(config: Config, uploadPaths: RegExp[]) {
  return (req: Request, _res: Response, next: (error?: unknown) => void): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (fromAnotherSite(req)) throw new CrossSite();
    if (mediaType(req) === 'multipart/form-data') {
      if (uploadPaths.some((path) => path.test(req.path))) return next();
      throw new BadCsrfToken();
    }
    if (!validCsrfToken(config, req, (req.body as { _csrf?: unknown } | undefined)?._csrf)) throw new BadCsrfToken();
    next();
  };
}

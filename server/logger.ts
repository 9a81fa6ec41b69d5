/**
 * The server's log: pino, one JSON line per event (readable lines in development), and through pino-http one line
 * per request with its id, method, route, status, duration and user. Nothing a request sends is logged but its
 * method and route: no headers (cookies, authorisation), no body (passwords), no query (tokens); what is logged
 * with an error is redacted by key as well.
 */
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { Config } from './config.ts';

export type { Logger };

/** Keys whose values are never written, wherever they sit in what is logged (down to MAX_DEPTH levels). */
const SECRET_KEYS = new Set([
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'cookie',
  'authorization',
  'set-cookie',
  'sessionSecret',
]);
const CENSOR = '[redacted]';
const MAX_DEPTH = 3;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * What is logged with the value of every secret-named key replaced, in plain objects and arrays down to MAX_DEPTH
 * levels; the same object when it holds no secret, so a request's line is not copied. pino's own `redact` does this
 * by path at some 30 µs a line, most of a request line's cost; this is a walk over a handful of keys. Errors are left
 * to the `err` serializer below, since pino serializes them after this runs.
 */
export function withoutSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, index) => {
      const clean = withoutSecrets(item, depth + 1);
      if (clean !== item) (copy ??= [...value])[index] = clean;
    });
    return (copy ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const clean = SECRET_KEYS.has(key) ? CENSOR : withoutSecrets(item, depth + 1);
    if (clean !== item) (copy ??= { ...value })[key] = clean;
  }
  return (copy ?? value) as T;
}

/** pino's error serializer, without what an error carries of a request: body-parser's errors hold the raw body. */
function errorWithoutSecrets(error: Error): object {
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const key of ['body', 'rawBody']) if (key in serialized) serialized[key] = CENSOR;
  return withoutSecrets(serialized);
}

/** The log for `config`, written to `destination` (standard output unless given: tests capture it). */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat' | 'production'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.logLevel,
    base: { pid: process.pid },
    formatters: { log: withoutSecrets, bindings: withoutSecrets },
    serializers: { err: errorWithoutSecrets },
  };
  if (destination) return pino(options, destination);
  const pretty =
    config.logFormat === 'pretty' || (config.logFormat === 'auto' && !config.production && process.stdout.isTTY);
  if (!pretty) return pino(options);
  // pino-pretty is a development dependency, so it is only loaded when asked for, in this thread (no transport).
  const prettyStream = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
  return pino(
    options,
    prettyStream({
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l',
      // A request on one line: "request GET /api/v1/calls/:id 200 12ms", its id and user below it.
      messageFormat: '{msg}{if method} {method} {route} {status} {durationMs}ms{end}',
      ignore: 'pid,hostname,method,route,status,durationMs',
    }),
  );
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id: the caller's X-Request-Id when it is a short plain token, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID();
}

/** The Express pattern of the route that answered (`/api/v1/calls/:id`), undefined when no route took it. */
export function routePattern(req: IncomingMessage): string | undefined {
  const request = req as Request;
  return request.route?.path === undefined ? undefined : `${request.baseUrl ?? ''}${String(request.route.path)}`;
}

/**
 * The route as logged: its pattern, so one line per route can be counted whatever the ids; a request no route took
 * is named by its path, with anything that looks like an id or a token replaced, and never its query.
 */
export function routeOf(req: IncomingMessage): string {
  const pattern = routePattern(req);
  if (pattern !== undefined) return pattern;
  const pathOnly = ((req as Request).originalUrl ?? req.url ?? '').split('?')[0];
  return pathOnly
    .split('/')
    .map((segment) => (segment.length >= 20 || (segment.length >= 8 && /\d/.test(segment)) ? ':param' : segment))
    .join('/');
}

/** The fields of a request's line. */
function requestFields(req: IncomingMessage, res: ServerResponse, responseTime: number) {
  return {
    method: req.method,
    route: routeOf(req),
    status: res.statusCode,
    durationMs: responseTime,
    userId: (req as Request).actor?.id ?? null,
  };
}

/** The middleware that logs one line per request and answers its id as X-Request-Id. */
export function requestLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Only the request id is bound to req.log: what else pino-http would bind (every header) is not for the log.
    quietReqLogger: true,
    quietResLogger: true,
    // pino-http also makes, for every request, a logger bound to the whole request, serialized with its headers:
    // unused with the quiet loggers above, and about as costly as the request's own line, so it binds nothing.
    wrapSerializers: false,
    serializers: { req: () => undefined, res: () => undefined },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, res, value: { responseTime: number }) => requestFields(req, res, value.responseTime),
    // The error itself is logged where it is handled, with the same request id.
    customErrorObject: (req, res, _error, value: { responseTime: number }) =>
      requestFields(req, res, value.responseTime),
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
  });
}

/** The handful of errors the services throw, and the one handler that turns any error into the API's shape. */
import type { ErrorRequestHandler } from 'express';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error a client caused or may be told about: it carries its HTTP status and stable code. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export class BadRequest extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'bad-request', message, details);
  }
}
export class Unauthorised extends AppError {
  constructor(message = 'Sign in to continue') {
    super(401, 'unauthorised', message);
  }
}
export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do that') {
    super(403, 'forbidden', message);
  }
}
export class NotFound extends AppError {
  constructor(what = 'Page') {
    super(404, 'not-found', `${what} not found`);
  }
}
export class Conflict extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(409, 'conflict', message, details);
  }
}
export class PreconditionFailed extends AppError {
  constructor(message: string) {
    super(412, 'precondition-failed', message);
  }
}
export class Validation extends AppError {
  /** `omittedDetails`: how many problems were found past those in `details` (lists are capped). */
  constructor(
    message: string,
    details: ErrorDetail[],
    readonly omittedDetails = 0,
  ) {
    super(422, 'validation', message, details);
  }
}
export class TooLarge extends AppError {
  constructor(message: string) {
    super(413, 'too-large', message);
  }
}
export class UnsupportedType extends AppError {
  constructor(message: string) {
    super(415, 'unsupported-type', message);
  }
}
export class Unavailable extends AppError {
  constructor(message = 'The database is not answering; try again in a moment') {
    super(503, 'unavailable', message);
  }
}

interface PgError {
  code?: string;
  constraint?: string;
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08001', '08003']);

/** Maps anything thrown to an AppError; database messages and stacks never reach a client. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { status?: number; type?: string }).status;
  const type = (error as { type?: string }).type;
  // body-parser's own errors
  if (type === 'entity.parse.failed') return new BadRequest('The request body is not valid JSON');
  if (type === 'entity.too.large') return new TooLarge('The request body is too large');
  if (status === 400 || type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new BadRequest('The request could not be read');
  // Objection wraps the driver's error; its own fields (code, constraint) are on nativeError.
  const pgError = ((error as { nativeError?: PgError }).nativeError ?? error) as PgError;
  if (pgError.code === '23505')
    return new Conflict('That already exists', [{ path: '', message: constraintMessage(pgError) }]);
  if (pgError.code === '23502' || pgError.code === '23514' || pgError.code === '22P02' || pgError.code === '23503')
    return new Validation('The request breaks a rule of the data', [{ path: '', message: constraintMessage(pgError) }]);
  const message = (error as Error)?.message ?? '';
  if (
    (pgError.code && CONNECTION_ERRORS.has(pgError.code)) ||
    /Knex: Timeout acquiring a connection|Connection terminated|connect ECONNREFUSED/.test(message)
  )
    return new Unavailable();
  return new AppError(500, 'internal', 'Something went wrong on our side; nothing was changed');
}

// The constraints a person can break, in their words; any other's name says how the data is kept, not what to do.
const CONSTRAINT_MESSAGES: Record<string, string> = {
  users_email_unique: 'An account with that e-mail address already exists',
  calls_reference_unique: 'A call with that reference already exists',
};

function constraintMessage(error: PgError): string {
  return (error.constraint && CONSTRAINT_MESSAGES[error.constraint]) || 'Breaks a rule of the data';
}

/** The JSON body of an error response. */
export function errorBody(error: AppError) {
  const omitted =
    error instanceof Validation && error.omittedDetails > 0 ? { omittedDetails: error.omittedDetails } : {};
  return { error: { code: error.code, message: error.message, details: error.details, ...omitted } };
}

/** The API's error handler: every error answered as `{error: {code, message, details}}`. */
export const apiErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const appError = toAppError(error);
  if (appError.status >= 500 && appError.status !== 503) req.log.error({ err: error }, 'unexpected error');
  res.status(appError.status).json(errorBody(appError));
};

/** The guards routes use: the signed-in actor a handler acts for, and the roles a route admits. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../context.ts';
import { Forbidden, Unauthorised } from '../errors.ts';

/** The signed-in actor, or a 401 (saying why, when the request's session has just ended). */
export function actorOf(req: Request): Actor {
  if (!req.actor) throw new Unauthorised(req.sessionEnded?.message);
  return req.actor;
}

/** Guard: signed in with one of the roles, else 401 (not signed in) or 403 (wrong role). */
export function requireRole(...roles: Actor['role'][]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const actor = actorOf(req);
    if (!roles.includes(actor.role)) throw new Forbidden();
    next();
  };
}

/** One-off messages a page leaves for the next one after a redirect ("Your scores are saved"), kept in the session. */
import type { Request } from 'express';

/** Takes the message the previous page left, if any; it is shown once. */
export function takeFlash(req: Request): string | undefined {
  const flash = req.session?.flash;
  if (flash) delete req.session.flash;
  return flash;
}

/**
 * Leaves a message for the next page and saves the session; await it before redirecting. express-session
 * saves a changed session while the response is ending, after the headers are out, so a browser that follows
 * the 303 at once would otherwise load the next page from the session as it was, and the message would be lost.
 * It never rejects: a store that fails here fails again, and is reported, when express-session saves at the end.
 */
export function setFlash(req: Request, message: string): Promise<void> {
  if (!req.session) return Promise.resolve();
  req.session.flash = message;
  return new Promise((resolve) => req.session.save(() => resolve()));
}

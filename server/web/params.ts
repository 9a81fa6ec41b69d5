/** Reading route parameters as plain strings. */
import type { Request } from 'express';

/** A named route parameter as a string (Express types allow arrays for wildcard routes). */
export function param(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : String(value ?? '');
}

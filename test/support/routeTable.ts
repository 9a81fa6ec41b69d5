/** The routes an Express app answers, read from its router stack: for tests that must cover every endpoint. */
import type { Express } from 'express';

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

export interface RouteEntry {
  method: string;
  path: string;
}

function walk(stack: Layer[], prefix: string, into: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all'))
        into.push({ method: method.toUpperCase(), path: prefix + layer.route.path });
    } else if (layer.handle.stack) {
      walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''), into);
    }
  }
}

/** Every method and path the app routes, in the order they are matched. */
export function routeTable(app: Express): RouteEntry[] {
  const entries: RouteEntry[] = [];
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', entries);
  return entries;
}

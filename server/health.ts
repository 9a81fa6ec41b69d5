/** GET /healthz: whether the process and its database answer. */
import { Router } from 'express';
import type { AppContext } from './context.ts';

/** The health route, mounted before sessions so it never touches the session store. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await ctx.knex.raw('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}

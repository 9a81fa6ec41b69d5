/** Downloads under /api/v1: the appraisal workbook (officers) and a decided call's 360Giving open data (anyone). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { planObjective } from '../appraisal/planObjective.ts';
import { param } from '../web/params.ts';
import { DownloadAborted, streamAppraisalWorkbook, XLSX_CONTENT_TYPE } from './appraisalWorkbook.ts';
import { openDataPackage } from './openData.ts';
import { releaseMemorySoon } from './releaseMemory.ts';

/** Routes under /api/v1 for the appraisal workbook and the open data. */
export function downloadsApi(ctx: AppContext): Router {
  const router = Router();

  router.get('/calls/:id/appraisal.xlsx', requireRole('officer'), async (req, res) => {
    let started = false;
    try {
      await streamAppraisalWorkbook(
        ctx,
        actorOf(req),
        param(req, 'id'),
        planObjective(req.query.objective),
        (filename) => {
          started = true;
          res.status(200);
          res.setHeader('Content-Type', XLSX_CONTENT_TYPE);
          res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
          res.setHeader('Cache-Control', 'no-store');
          return res;
        },
      );
    } catch (error) {
      if (!started) throw error;
      // Half a workbook is already on its way: cut the connection so it cannot pass for a whole one.
      if (!(error instanceof DownloadAborted)) req.log.error({ err: error }, 'workbook download failed midway');
      res.destroy();
    } finally {
      // What the workbook was made from is garbage now: give it back before the next download adds to it.
      if (started) releaseMemorySoon();
    }
  });

  router.get('/calls/:id/360giving.json', async (req, res) => {
    const data = await openDataPackage(ctx, req.actor, param(req, 'id'));
    // a download, like every other: no cache keeps a copy (a corrected decision would otherwise linger)
    res.setHeader('Cache-Control', 'no-store');
    res.json(data);
  });

  return router;
}

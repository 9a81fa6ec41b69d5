/** Exports API: a thin handler for the bid template's download (its import is bids/templateImport/). */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { XLSX_CONTENT_TYPE } from './appraisalWorkbook.ts';
import { bidTemplateFor } from './bidTemplate.ts';

/** Routes under /api/v1 for spreadsheets out. */
export function exportsApi(ctx: AppContext): Router {
  const router = Router();

  router.get('/calls/:id/bid-template.xlsx', requireRole('applicant', 'officer'), async (req, res) => {
    const bidId = typeof req.query.bidId === 'string' && req.query.bidId !== '' ? req.query.bidId : undefined;
    const file = await bidTemplateFor(ctx, actorOf(req), param(req, 'id'), bidId);
    res.attachment(file.filename);
    res.type(XLSX_CONTENT_TYPE);
    // a pre-filled template carries the draft: no cache keeps a copy
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Length', String(file.bytes.length));
    res.end(file.bytes);
  });

  return router;
}

/** Exports API: thin handlers for the bid template (download, import). */
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import { presentBid } from '../bids/presenter.ts';
import { receiveFile } from '../bids/uploads.ts';
import { actorOf, requireRole } from '../identity/session.ts';
import { param } from '../web/params.ts';
import { XLSX_CONTENT_TYPE } from './appraisalWorkbook.ts';
import { bidTemplateFor } from './bidTemplate.ts';
import { importableBid, importBidTemplate } from './templateImport.ts';

/** Routes under /api/v1 for spreadsheets in and out. */
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

  // who may import, and whether the deadline allows it, is settled before the upload is read
  const mayImport: RequestHandler = async (req, _res, next) => {
    await importableBid(ctx, actorOf(req), param(req, 'id'));
    next();
  };
  router.post('/bids/:id/import', requireRole('applicant'), mayImport, receiveFile('file'), async (req, res) => {
    res.json(presentBid(await importBidTemplate(ctx, actorOf(req), param(req, 'id'), req.file!.buffer)));
  });

  return router;
}

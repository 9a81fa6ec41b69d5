/** Bid template import API: a thin handler over templateImport.ts. */
import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../../context.ts';
import { actorOf, requireRole } from '../../web/guards.ts';
import { param } from '../../web/params.ts';
import { presentBid } from '../presenter.ts';
import { receiveFile } from '../uploads.ts';
import { importableBid, importBidTemplate } from './templateImport.ts';

/** The route under /api/v1 that reads a filled bid template into a draft bid. */
export function templateImportApi(ctx: AppContext): Router {
  const router = Router();

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

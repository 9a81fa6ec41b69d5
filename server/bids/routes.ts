/** Bids API: thin handlers over bids/service.ts. */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { Validation } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { param } from '../web/params.ts';
import { presentAttachment, presentBid, presentBidSummary, versionContent } from './presenter.ts';
import * as service from './service.ts';
import { acceptedUpload, receiveFile } from './uploads.ts';
import { appraiserBidList } from '../appraisal/service.ts';

const PURPOSES = ['match-evidence', 'supporting'] as const;

/** Reads the optional `purpose` field of an upload. */
export function uploadPurpose(value: unknown): (typeof PURPOSES)[number] {
  if (value === undefined || value === '') return 'supporting';
  if (PURPOSES.includes(value as (typeof PURPOSES)[number])) return value as (typeof PURPOSES)[number];
  throw new Validation('The upload has problems', [
    { path: '/purpose', message: 'Must be one of: match-evidence, supporting' },
  ]);
}

/** A bid's ETag: the revision of its draft. */
export function etagOf(revision: number): string {
  return `"${revision}"`;
}

/**
 * The revisions an If-Match header accepts: none asked (undefined) without the header or with `*`; an entity tag
 * that is not one of ours matches nothing, so the write is refused rather than made blind.
 */
export function ifMatchOf(req: Request): number[] | undefined {
  const header = req.get('If-Match');
  if (header === undefined || header.trim() === '*') return undefined;
  return header
    .split(',')
    .map((tag) => /^\s*"(\d{1,9})"\s*$/.exec(tag)?.[1])
    .filter((digits): digits is string => digits !== undefined)
    .map(Number);
}

/** Answers a bid (as presentBid shows it) with its ETag. */
function sendBid(res: Response, view: service.BidView, status = 200): void {
  res.setHeader('ETag', etagOf(view.bid.revision));
  res.status(status).json(presentBid(view));
}

/** Routes under /api/v1 for bids and their files. */
export function bidsApi(ctx: AppContext): Router {
  const router = Router();

  router.post('/calls/:id/bids', requireRole('applicant'), async (req, res) => {
    sendBid(res, await service.createBid(ctx, actorOf(req), param(req, 'id'), req.body), 201);
  });

  router.get('/calls/:id/bids', async (req, res) => {
    const actor = actorOf(req);
    if (actor.role === 'appraiser') {
      const rows = await appraiserBidList(ctx, actor, param(req, 'id'));
      res.json({
        items: rows.map(({ bid, version, appraisal }) => ({ ...presentBidSummary(bid, version), appraisal })),
      });
      return;
    }
    const rows = await service.listBidsForCall(ctx, actor, param(req, 'id'));
    res.json({ items: rows.map(({ bid, version }) => presentBidSummary(bid, version)) });
  });

  router.get('/bids/:id', async (req, res) => {
    const view = await service.getBid(ctx, req.actor, param(req, 'id'));
    // The ETag is the draft's revision, for If-Match; the answer also carries what it does not cover (status,
    // gateway, decision), so it is never answered "not modified".
    delete req.headers['if-none-match'];
    sendBid(res, view);
  });

  router.put('/bids/:id', requireRole('applicant'), async (req, res) => {
    const write = { ifMatch: ifMatchOf(req) };
    sendBid(res, await service.replaceBid(ctx, actorOf(req), param(req, 'id'), req.body, write));
  });

  router.put('/bids/:id/partners/:partnerId', requireRole('applicant'), async (req, res) => {
    const [id, partnerId] = [param(req, 'id'), param(req, 'partnerId')];
    const write = { ifMatch: ifMatchOf(req) };
    sendBid(res, await service.replacePartnerPart(ctx, actorOf(req), id, partnerId, req.body, write));
  });

  router.post('/bids/:id/partners/:partnerId/complete', requireRole('applicant'), async (req, res) => {
    sendBid(res, await service.completePartnerPart(ctx, actorOf(req), param(req, 'id'), param(req, 'partnerId')));
  });

  router.post('/bids/:id/partners/:partnerId/invitation', requireRole('applicant'), async (req, res) => {
    const [id, partnerId] = [param(req, 'id'), param(req, 'partnerId')];
    res.status(201).json(await service.invitePartner(ctx, actorOf(req), id, partnerId, req.body));
  });

  router.delete('/bids/:id/partners/:partnerId', requireRole('applicant'), async (req, res) => {
    await service.removePartner(ctx, actorOf(req), param(req, 'id'), param(req, 'partnerId'));
    res.status(204).end();
  });

  router.post('/bids/:id/submit', requireRole('applicant'), async (req, res) => {
    sendBid(res, await service.submitBid(ctx, actorOf(req), param(req, 'id')));
  });

  router.post('/bids/:id/withdraw', requireRole('applicant'), async (req, res) => {
    sendBid(res, await service.withdrawBid(ctx, actorOf(req), param(req, 'id')));
  });

  router.get('/bids/:id/versions/:version', async (req, res) => {
    const version = await service.getVersion(ctx, req.actor, param(req, 'id'), Number(param(req, 'version')));
    res.json({
      version: version.version,
      submittedAt: version.submittedAt.toISOString(),
      sha256: version.sha256,
      canonicalJson: version.canonicalJson,
      content: versionContent(version),
      gateway: { passed: version.gatewayPassed, checks: version.gateway },
    });
  });

  // Whose bid it is, and whether it has room for another file, is settled before a byte of the file is read:
  // strangers are refused without uploading 20 MB.
  const ownBidOnly: RequestHandler = async (req, _res, next) => {
    await service.refuseUploadWithoutRoom(ctx, actorOf(req), param(req, 'id'));
    next();
  };

  router.post('/bids/:id/attachments', requireRole('applicant'), ownBidOnly, receiveFile('file'), async (req, res) => {
    const purpose = uploadPurpose(req.body?.purpose);
    const upload = await acceptedUpload(req.file!);
    // The part the file belongs to: a partner's member's own by default (access.partOfFile), or the one named.
    const named = typeof req.body?.partnerId === 'string' && req.body.partnerId !== '' ? req.body.partnerId : undefined;
    const row = await service.addAttachment(ctx, actorOf(req), param(req, 'id'), upload, purpose, undefined, named);
    res.status(201).json(presentAttachment(row));
  });

  router.get('/bids/:id/attachments/:attachmentId', async (req, res) => {
    const file = await service.getAttachment(ctx, req.actor, param(req, 'id'), param(req, 'attachmentId'));
    res.attachment(file.filename);
    res.type(file.contentType);
    res.setHeader('Content-Length', String(file.sizeBytes));
    res.end(file.data);
  });

  router.delete('/bids/:id/attachments/:attachmentId', requireRole('applicant'), async (req, res) => {
    await service.removeAttachment(ctx, actorOf(req), param(req, 'id'), param(req, 'attachmentId'));
    res.status(204).end();
  });

  return router;
}

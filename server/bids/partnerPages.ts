/**
 * The consortium's pages of a bid: the lead invites a delivery partner by e-mail and removes one; whoever may change
 * a partner's part (its own organisation's members, or the lead's) fills it in on its page, and its members mark it
 * complete. Thin handlers over bids/service.ts; what the pages show is built in partnerPageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { Conflict, PreconditionFailed, toAppError, Validation } from '../errors.ts';
import { actsForPartner } from '../access/index.ts';
import { isLive } from '../people/invitations.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { errorsByField, fieldView, FormReader, type ErrorItem, type FormValues } from '../web/forms.ts';
import { param } from '../web/params.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { validCsrfToken } from '../web/csrf.ts';
import { linesOf, partDigest } from './consortium.ts';
import { acceptedUpload, receiveFile, runMiddleware } from './uploads.ts';
import { bidPageOf } from './pageModels.ts';
import { partCard, partForm, partValues, readPart } from './partnerPageModels.ts';
import * as service from './service.ts';

const applicant = requireRole('applicant');

/** The part page's upload: multipart, its CSRF token checked in the form's first field (receiveFile). */
export const PART_UPLOAD_PATH = /^\/bids\/[^/]+\/partners\/[^/]+\/attachments$/;

/** The consortium's pages. */
export function partnerPages(ctx: AppContext): Router {
  const router = Router();
  const ids = (req: Request) => [param(req, 'id'), param(req, 'partnerId')] as const;
  const receiveUpload = receiveFile('file', { csrf: (req, token) => validCsrfToken(ctx.config, req, token) });

  const renderInvite = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues = {},
    errors: ErrorItem[] = [],
  ) => {
    const [id, partnerId] = ids(req);
    const { view, partner, invitation } = await service.viewPartnerChange(ctx, actorOf(req), id, partnerId, 'invite');
    const live = invitation && isLive(invitation, ctx.clock.now());
    res.status(status).render('bids/partner-invite', {
      pageTitle: `Invite ${partner.name}`,
      backLink: `/bids/${id}`,
      bid: bidPageOf(view, ctx.clock.now()).heading,
      partner,
      current: live ? { email: invitation.email, expires: formatLondonDateTime(invitation.expiresAt) } : undefined,
      email: fieldView(values, errorsByField(errors), 'email'),
      errors,
    });
  };

  router.get('/bids/:id/partners/:partnerId/invite', applicant, (req, res) => renderInvite(req, res, 200));

  router.post('/bids/:id/partners/:partnerId/invite', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const email = form.text('/email');
    if (!email) return renderInvite(req, res, 422, values, [{ field: 'email', message: 'Enter their email address' }]);
    try {
      const sent = await service.invitePartner(ctx, actorOf(req), id, partnerId, { email });
      await setFlash(
        req,
        `Invitation sent to ${sent.email}. The link works once, ` +
          `until ${formatLondonDateTime(sent.expiresAt)} (UK time).`,
      );
      res.redirect(303, `/bids/${id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      const errors = form.errorItems(error.details).map((e) => ({
        ...e,
        field: 'email',
        message: e.field === 'email' ? 'Enter an email address like name@example.org' : e.message,
      }));
      return renderInvite(req, res, 422, values, errors);
    }
  });

  router.get('/bids/:id/partners/:partnerId/remove', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    const { view, partner } = await service.viewPartnerChange(ctx, actorOf(req), id, partnerId, 'remove');
    const lines = (view.bid.draft.matchFunding ?? []).filter((line) => line.partnerId === partnerId).length;
    res.render('bids/partner-remove', {
      pageTitle: `Remove ${partner.name}`,
      backLink: `/bids/${id}`,
      bid: bidPageOf(view, ctx.clock.now()).heading,
      partner,
      lines,
    });
  });

  router.post('/bids/:id/partners/:partnerId/remove', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    const { partner } = await service.viewPartnerChange(ctx, actorOf(req), id, partnerId, 'remove');
    await service.removePartner(ctx, actorOf(req), id, partnerId);
    await setFlash(req, `${partner.name} was removed from the bid, with the match funding it declared.`);
    res.redirect(303, `/bids/${id}`);
  });

  /** Draws a part's page: its form while the bid can change, beside what is saved now after a conflict. */
  const renderPart = async (
    req: Request,
    res: Response,
    options: {
      status?: number;
      values?: FormValues;
      errors?: ErrorItem[];
      extraRows?: number;
      conflict?: boolean;
    } = {},
  ) => {
    const [id, partnerId] = ids(req);
    const actor = actorOf(req);
    const view = await service.viewPart(ctx, actor, id, partnerId);
    const { partner, bid } = view;
    const { changeable, heading } = bidPageOf(view, ctx.clock.now());
    // The part's own files, and any other a line of it points at (a letter the lead uploaded for it before).
    const linked = new Set(linesOf(bid.draft, partnerId).map((line) => line.evidenceAttachmentId));
    const files = view.attachments.filter((a) => a.partnerId === partnerId || linked.has(a.id));
    const errors = options.errors ?? [];
    const byField = errorsByField(errors);
    const values = options.values ?? partValues(bid.draft, partner);
    const own = actsForPartner(actor, partner);
    res.status(options.status ?? 200).render('bids/partner-part', {
      pageTitle: `${own ? 'Your part' : partner.name}: ${heading.title}`,
      backLink: `/bids/${id}`,
      flash: takeFlash(req),
      bid: heading,
      partner,
      own,
      editable: changeable,
      errors,
      card: partCard(bid.draft, partner, files),
      conflict: options.conflict,
      revision: bid.revision,
      digest: partDigest(bid.draft, partnerId),
      // Only the partner's own members mark it complete; a lead's own row has no completion.
      canComplete: changeable && own && !partner.completedAt,
      completedAt: partner.completedAt ? formatLondonDateTime(partner.completedAt) : undefined,
      ...partForm(values, byField, options.extraRows ?? 1, files),
      files: files.map((a) => ({
        ...a,
        href: `/bids/${id}/files/${a.id}`,
        kb: Math.max(1, Math.round(a.sizeBytes / 1024)),
        // A partner's member removes only its own part's files; the lead any.
        removable: changeable && (a.partnerId === partnerId || !own),
      })),
      fileError: byField.file,
      filesError: byField.files,
      // A letter is linked to a saved line of this part, whatever the form above holds (global line numbers).
      evidenceLines: [
        { value: '', text: 'Do not link it to a line yet' },
        ...(bid.draft.matchFunding ?? []).flatMap((line, i) =>
          linesOf(bid.draft, partnerId).includes(line) ? [{ value: String(i), text: `${line.funder}` }] : [],
        ),
      ],
    });
  };

  router.get('/bids/:id/partners/:partnerId/part', applicant, async (req, res) => {
    const extra = Number(req.query.extra);
    await renderPart(req, res, { extraRows: Number.isSafeInteger(extra) && extra >= 1 ? Math.min(extra, 20) : 1 });
  });

  // The part goes into the draft as it stands when saved; only a change to this part since the page was drawn
  // refuses it (412), and then the person's own input is shown again beside what is saved now.
  router.post('/bids/:id/partners/:partnerId/part', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    const posted = (req.body ?? {}) as FormValues;
    const form = new FormReader(posted);
    const part = readPart(form);
    const another = posted.another !== undefined;
    const revision =
      typeof posted.revision === 'string' && /^\d{1,9}$/.test(posted.revision) ? Number(posted.revision) : undefined;
    const digest = typeof posted.digest === 'string' ? posted.digest : '';
    const write = revision === undefined ? {} : { partUnchangedSince: { revision, partnerId, digest } };
    if (form.problems.length > 0) {
      // Reached first, so that a stranger hears 404 (or 403) rather than what is wrong with the form.
      await service.viewPart(ctx, actorOf(req), id, partnerId);
      return renderPart(req, res, { status: 422, values: posted, errors: form.errorItems(), extraRows: 0 });
    }
    try {
      await service.replacePartnerPart(ctx, actorOf(req), id, partnerId, part, write);
    } catch (error) {
      if (error instanceof PreconditionFailed)
        return renderPart(req, res, { status: 409, values: posted, conflict: true, extraRows: 0 });
      if (!(error instanceof Validation)) throw error;
      return renderPart(req, res, {
        status: 422,
        values: posted,
        errors: form.errorItems(error.details),
        extraRows: another ? 1 : 0,
      });
    }
    if (another) return res.redirect(303, `/bids/${id}/partners/${partnerId}/part?extra=2`);
    await setFlash(req, 'The part was saved. Mark it complete when it is ready for the lead to submit.');
    res.redirect(303, `/bids/${id}/partners/${partnerId}/part`);
  });

  router.post('/bids/:id/partners/:partnerId/complete', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    try {
      const view = await service.completePartnerPart(ctx, actorOf(req), id, partnerId);
      const partner = (view.bid.draft.partners ?? []).find((p) => p.id === partnerId)!;
      await setFlash(
        req,
        `${partner.name}'s part is marked complete. Any later change to it marks it incomplete again.`,
      );
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return renderPart(req, res, { status: 409, errors: [{ field: 'complete', message: error.message }] });
    }
    res.redirect(303, `/bids/${id}`);
  });

  // Whose part the file is for is settled first (the lead's or that partner's members), then the CSRF token in the
  // form's first field as the file starts, so a stranger's or a forged upload is refused before it is read.
  router.post('/bids/:id/partners/:partnerId/attachments', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    const actor = actorOf(req);
    await service.viewPart(ctx, actor, id, partnerId);
    try {
      await service.refuseUploadWithoutRoom(ctx, actor, id, partnerId);
      await runMiddleware(receiveUpload, req, res);
      const upload = await acceptedUpload(req.file!);
      const line =
        typeof req.body?.line === 'string' && /^\d+$/.test(req.body.line) ? Number(req.body.line) : undefined;
      const row = await service.addAttachment(ctx, actor, id, upload, 'match-evidence', line, partnerId);
      const linked = line === undefined ? undefined : (await service.viewPart(ctx, actor, id, partnerId)).bid.draft;
      const to = linked?.matchFunding?.[line!];
      await setFlash(
        req,
        to?.evidenceAttachmentId === row.id
          ? `Uploaded ${row.filename} as the evidence for ${to.funder}.`
          : `Uploaded ${row.filename}.`,
      );
      res.redirect(303, `/bids/${id}/partners/${partnerId}/part`);
    } catch (error) {
      const appError = toAppError(error);
      if (![400, 409, 413, 415].includes(appError.status)) throw error;
      await renderPart(req, res, { status: appError.status, errors: [{ field: 'file', message: appError.message }] });
    }
  });

  router.post('/bids/:id/partners/:partnerId/files/:attachmentId/remove', applicant, async (req, res) => {
    const [id, partnerId] = ids(req);
    await service.viewPart(ctx, actorOf(req), id, partnerId);
    try {
      await service.removeAttachment(ctx, actorOf(req), id, param(req, 'attachmentId'));
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return renderPart(req, res, { status: 409, errors: [{ field: 'files', message: error.message }] });
    }
    await setFlash(req, 'The file was removed.');
    res.redirect(303, `/bids/${id}/partners/${partnerId}/part`);
  });

  return router;
}

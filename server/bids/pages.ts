/**
 * The applicant's bid pages: the dashboard, starting a bid, the bid as a task list with a page per section,
 * check your answers, submit with its receipt and gateway result, withdraw, files. Thin handlers over
 * bids/service.ts (one rule, one place); what the pages show is built in pageModels.ts and the section modules
 * (sections/).
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import * as calls from '../calls/service.ts';
import { Conflict, NotFound, PreconditionFailed, toAppError, Validation, type ErrorDetail } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { errorsByField, FormReader, schemaProblems, type ErrorItem, type FormValues } from '../web/forms.ts';
import { param } from '../web/params.ts';
import {
  answerCards,
  bidPageOf,
  completedCount,
  dashboardRow,
  gatewayView,
  missingItems,
  receiptView,
  taskList,
} from './pageModels.ts';
import { presentBid } from './presenter.ts';
import { findSection, sectionFor, sectionOfPointer, withSection, type SectionKey } from './sections/index.ts';
import * as service from './service.ts';
import { acceptedUpload, receiveFile, runMiddleware } from './uploads.ts';
import { validCsrfToken } from '../web/csrf.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { actsForPartner, ownBid as reachOwnBid, readScores } from '../access/index.ts';
import { bidScores } from '../appraisal/service.ts';
import { importableBid, importBidTemplate } from './templateImport/templateImport.ts';
import { decisionView } from './decisionView.ts';
import { takesChanges } from './deadlineLock.ts';
import { viewQuestionsOfBid } from './clarificationAnswerViews.ts';
import { ownPartTask, partnerList } from './partnerPageModels.ts';
import { PART_UPLOAD_PATH, partnerPages } from './partnerPages.ts';

const applicant = requireRole('applicant');

/** The pages that take a multipart upload; each checks the CSRF token in its form's first field (receiveFile). */
export const PAGE_UPLOAD_PATHS = [/^\/bids\/[^/]+\/attachments$/, /^\/bids\/[^/]+\/import$/, PART_UPLOAD_PATH];

const UPLOAD_SECTIONS = ['match-funding', 'documents'] as const;

function sectionKey(value: string): SectionKey {
  const section = findSection(value);
  if (!section) throw new NotFound('Page');
  return section.key;
}

const sectionTitle = (key: SectionKey) => sectionFor(key).title;

/** The applicant's own bid (or one their organisation is a partner in) with its call as pages need them. */
async function ownBid(ctx: AppContext, req: Request) {
  const view = await service.getBid(ctx, actorOf(req), param(req, 'id'));
  if (view.viewer !== 'own' && view.viewer !== 'partner') throw new NotFound('Bid');
  const { call, changeable, fields, heading } = bidPageOf(view, ctx.clock.now());
  // A partner's members read the whole working draft here; they change their own part on its page.
  const editable = view.viewer === 'own' && changeable;
  return { view, call, editable, fields, heading };
}

/** The bid pages. */
export function bidPages(ctx: AppContext): Router {
  const router = Router();
  // An upload form's token is its first field, checked before the file is read (app.ts lets multipart through here).
  const receiveUpload = receiveFile('file', { csrf: (req, token) => validCsrfToken(ctx.config, req, token) });

  router.get('/bids', applicant, (_req, res) => res.redirect('/dashboard'));
  // Before the section pages: their paths are longer, but read first they are never taken for a section.
  router.use(partnerPages(ctx));

  router.get('/dashboard', applicant, async (req, res) => {
    const actor = actorOf(req);
    const [bids, partnered, published] = await Promise.all([
      service.listOwnBids(ctx, actor),
      service.listPartnerBids(ctx, actor),
      calls.listCalls(ctx, actor),
    ]);
    const byId = new Map(published.map(({ call }) => [call.id, call]));
    res.render('bids/dashboard', {
      pageTitle: 'Your bids',
      flash: takeFlash(req),
      bids: bids.map(({ bid, version }) => dashboardRow(bid, version, byId.get(bid.callId))),
      partnerBids: partnered.map(({ bid, version }) => dashboardRow(bid, version, byId.get(bid.callId))),
      openCalls: published
        .filter(({ call }) => takesChanges(call.status))
        .map(({ call }) => ({
          id: call.id,
          title: call.title,
          reference: call.reference,
          closes: formatLondonDateTime(call.closesAt),
        })),
    });
  });

  const renderStart = async (req: Request, res: Response, status: number, title: string, errors: ErrorItem[] = []) => {
    const { call } = await calls.getCall(ctx, req.actor, param(req, 'id'));
    if (!takesChanges(call.status)) throw new Conflict(`The call "${call.title}" is not open for bids`);
    res.status(status).render('bids/start', {
      pageTitle: `Start a bid: ${call.title}`,
      backLink: `/calls/${call.id}`,
      call: { ...call, closes: formatLondonDateTime(call.closesAt) },
      title: { id: 'title', value: title, error: errorsByField(errors).title },
      errors,
    });
  };

  router.get('/calls/:id/bids/new', applicant, (req, res) => renderStart(req, res, 200, ''));

  router.post('/calls/:id/bids', applicant, async (req, res) => {
    const form = new FormReader(req.body ?? {});
    const title = form.text('/title');
    if (!title) return renderStart(req, res, 422, '', [{ field: 'title', message: "Enter the bid's title" }]);
    try {
      const view = await service.createBid(ctx, actorOf(req), param(req, 'id'), { title });
      await setFlash(
        req,
        `You started the bid ${view.bid.reference}. Fill in each section, then check your answers and submit.`,
      );
      res.redirect(303, `/bids/${view.bid.id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      return renderStart(req, res, 422, title, form.errorItems(error.details));
    }
  });

  router.get('/bids/:id', applicant, async (req, res) => {
    const { view, editable, fields, heading } = await ownBid(ctx, req);
    const presented = presentBid(view);
    // After the decision the applicant sees it with the panel's final scores and comments (the service decides),
    // from the bid and decision getBid has read.
    const outcome = view.decision
      ? decisionView(view.call, view.decision, await bidScores(ctx, await readScores(ctx, actorOf(req), view)))
      : undefined;
    const actor = actorOf(req);
    const partnerRows =
      view.viewer === 'own'
        ? partnerList(view.bid.id, fields, await service.partnerInvitationsOf(ctx, view), ctx.clock.now(), editable)
        : [];
    // A partner's member has a task of their own: each part their organisation joined the bid as.
    const ownParts =
      view.viewer === 'partner'
        ? (fields.partners ?? []).filter((p) => actsForPartner(actor, p)).map((p) => ownPartTask(view.bid.id, p))
        : [];
    res.render('bids/show', {
      questions: await viewQuestionsOfBid(ctx, view),
      outcome,
      partners: partnerRows,
      hasDeliveryPartners: partnerRows.some((p) => !p.lead),
      ownParts,
      partnerView: view.viewer === 'partner',
      templateHref: `/api/v1/calls/${view.bid.callId}/bid-template.xlsx?bidId=${view.bid.id}`,
      pageTitle: heading.title,
      backLink: '/dashboard',
      flash: takeFlash(req),
      bid: heading,
      editable,
      tasks: taskList(view.bid.id, fields, view.attachments),
      progress: completedCount(fields, view.attachments),
      lastSubmission: view.version
        ? { ...receiptView(view.bid, view.version), gatewayPassed: view.version.gatewayPassed }
        : undefined,
      unsubmittedChanges: editable && presented.hasUnsubmittedChanges === true,
      canWithdraw: editable && view.bid.status === 'submitted',
    });
  });

  const renderCheck = async (req: Request, res: Response, status: number, errors: ErrorItem[] = []) => {
    const { view, call, editable, fields, heading } = await ownBid(ctx, req);
    const catalogue = await calls.indicators(ctx);
    res.status(status).render('bids/check', {
      pageTitle: editable ? 'Check your answers before submitting your bid' : 'Your bid',
      backLink: `/bids/${view.bid.id}`,
      bid: heading,
      editable,
      resubmit: view.bid.status === 'submitted',
      cards: answerCards(view.bid.id, fields, call, catalogue, view.attachments, editable),
      errors,
    });
  };

  router.get('/bids/:id/check', applicant, (req, res) => renderCheck(req, res, 200));

  router.post('/bids/:id/submit', applicant, async (req, res) => {
    const id = param(req, 'id');
    try {
      await service.submitBid(ctx, actorOf(req), id);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      return renderCheck(req, res, 422, missingItems(id, error.details, sectionOfPointer));
    }
    res.redirect(303, `/bids/${id}/submitted`);
  });

  router.get('/bids/:id/submitted', applicant, async (req, res) => {
    const { view, heading } = await ownBid(ctx, req);
    if (!view.version) return res.redirect(`/bids/${view.bid.id}`);
    res.render('bids/submitted', {
      pageTitle: view.bid.status === 'submitted' ? 'Bid submitted' : 'Your last submission',
      bid: heading,
      receipt: receiptView(view.bid, view.version),
      gateway: gatewayView(view.version),
    });
  });

  router.get('/bids/:id/withdraw', applicant, async (req, res) => {
    const { view, editable, heading } = await ownBid(ctx, req);
    if (!editable || view.bid.status !== 'submitted') return res.redirect(`/bids/${view.bid.id}`);
    res.render('bids/withdraw', { pageTitle: 'Withdraw your bid', backLink: `/bids/${view.bid.id}`, bid: heading });
  });

  router.post('/bids/:id/withdraw', applicant, async (req, res) => {
    const view = await service.withdrawBid(ctx, actorOf(req), param(req, 'id'));
    await setFlash(
      req,
      `You withdrew ${view.bid.reference}. You can change it and submit it again until the deadline.`,
    );
    res.redirect(303, `/bids/${view.bid.id}`);
  });

  /** Draws one section's page: its form while the bid can change, its answers once it cannot. */
  const renderSection = async (
    req: Request,
    res: Response,
    key: SectionKey,
    options: {
      status?: number;
      values?: FormValues;
      errors?: ErrorItem[];
      extraRows?: number;
      /** Someone saved the section since the page was drawn: the form keeps what was typed, beside what is saved. */
      conflict?: boolean;
    } = {},
  ) => {
    const { view, call, editable, fields, heading } = await ownBid(ctx, req);
    const catalogue = await calls.indicators(ctx);
    const title = sectionTitle(key);
    const common = {
      pageTitle: `${title}: ${heading.title}`,
      backLink: `/bids/${view.bid.id}`,
      bid: heading,
      sectionTitle: title,
    };
    if (!editable) {
      const card = answerCards(view.bid.id, fields, call, catalogue, view.attachments, false).find(
        (c) => c.key === key,
      );
      return res.status(options.status ?? 200).render('bids/section-readonly', { ...common, card });
    }
    const errors = options.errors ?? [];
    const byField = errorsByField(errors);
    const values = options.values ?? sectionFor(key).values(view.bid.draft, call);
    const context = { catalogue, attachments: view.attachments, draft: view.bid.draft };
    // What is saved now, beside the form that keeps what the person typed: saving again replaces it.
    const conflict = options.conflict
      ? answerCards(view.bid.id, view.bid.draft, call, catalogue, view.attachments, false).find((c) => c.key === key)
      : undefined;
    res.status(options.status ?? 200).render(`bids/sections/${key}`, {
      ...common,
      flash: takeFlash(req),
      errors,
      conflict,
      // The revision the form was drawn at: a save of a section someone changed since is shown as a conflict.
      revision: view.bid.revision,
      call,
      section: key,
      files: view.attachments.map((a) => ({
        ...a,
        href: `/bids/${view.bid.id}/files/${a.id}`,
        kb: Math.max(1, Math.round(a.sizeBytes / 1024)),
      })),
      fileError: byField.file,
      filesError: byField.files,
      ...sectionFor(key).view(call, { values, errors: byField, extraRows: options.extraRows ?? 1 }, context),
    });
  };

  // Uploads are multipart: whose bid it is is settled first, then the CSRF token in the form's first field as the
  // file starts, so a stranger's or a forged upload is refused before a byte of the file is read.
  router.post('/bids/:id/attachments', applicant, async (req, res) => {
    const id = param(req, 'id');
    const section = UPLOAD_SECTIONS.find((s) => s === req.query.section) ?? 'documents';
    await reachOwnBid(ctx, actorOf(req), id);
    try {
      await service.refuseUploadWithoutRoom(ctx, actorOf(req), id);
      await runMiddleware(receiveUpload, req, res);
      const upload = await acceptedUpload(req.file!);
      const actor = actorOf(req);
      const purpose = section === 'match-funding' ? 'match-evidence' : 'supporting';
      const line =
        typeof req.body?.line === 'string' && /^\d+$/.test(req.body.line) ? Number(req.body.line) : undefined;
      // The file and its link to the line are one transaction: the service stores both or neither.
      const row = await service.addAttachment(ctx, actor, id, upload, purpose, line);
      const linked =
        line === undefined ? undefined : (await service.getBid(ctx, actor, id)).bid.draft.matchFunding?.[line];
      if (line !== undefined && linked?.evidenceAttachmentId === row.id) {
        await setFlash(req, `Uploaded ${row.filename} as the evidence for line ${line + 1}: ${linked.funder}.`);
      } else {
        await setFlash(req, `Uploaded ${row.filename}.`);
      }
      res.redirect(303, `/bids/${id}/${section}`);
    } catch (error) {
      const appError = toAppError(error);
      if (![400, 409, 413, 415].includes(appError.status)) throw error;
      await renderSection(req, res, section, {
        status: appError.status,
        errors: [{ field: 'file', message: appError.message }],
      });
    }
  });

  // A filled bid template replaces the draft through the same service as the API; every problem names its cell.
  router.post('/bids/:id/import', applicant, async (req, res) => {
    const id = param(req, 'id');
    try {
      await importableBid(ctx, actorOf(req), id);
      await runMiddleware(receiveUpload, req, res);
      await importBidTemplate(ctx, actorOf(req), id, req.file!.buffer);
      await setFlash(req, 'The spreadsheet was read into your bid. Check each section, then submit.');
      res.redirect(303, `/bids/${id}`);
    } catch (error) {
      const appError = toAppError(error);
      if (![400, 409, 413, 415, 422].includes(appError.status)) throw error;
      const { heading } = await ownBid(ctx, req);
      const details = appError.details.length > 0 ? appError.details : [{ path: '', message: appError.message }];
      res.status(appError.status).render('bids/import-problems', {
        pageTitle: 'The spreadsheet could not be read into your bid',
        backLink: `/bids/${id}`,
        bid: heading,
        errors: details.map((d) => ({ field: 'import-file', message: d.path ? `${d.path}: ${d.message}` : d.message })),
      });
    }
  });

  // Downloads are for whoever may read the bid (the service decides), so officers' and appraisers' pages can link here.
  router.get('/bids/:id/files/:attachmentId', async (req, res) => {
    const file = await service.getAttachment(ctx, actorOf(req), param(req, 'id'), param(req, 'attachmentId'));
    res.attachment(file.filename);
    res.type(file.contentType);
    res.setHeader('Content-Length', String(file.sizeBytes));
    res.end(file.data);
  });

  router.post('/bids/:id/files/:attachmentId/remove', applicant, async (req, res) => {
    const id = param(req, 'id');
    const section = UPLOAD_SECTIONS.find((s) => s === req.body?.section) ?? 'documents';
    try {
      await service.removeAttachment(ctx, actorOf(req), id, param(req, 'attachmentId'));
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      return renderSection(req, res, section, { status: 409, errors: [{ field: 'files', message: error.message }] });
    }
    await setFlash(req, 'The file was removed.');
    res.redirect(303, `/bids/${id}/${section}`);
  });

  router.get('/bids/:id/:section', applicant, async (req, res) => {
    const extra = Number(req.query.extra);
    const extraRows = Number.isSafeInteger(extra) && extra >= 1 ? Math.min(extra, 20) : 1;
    await renderSection(req, res, sectionKey(param(req, 'section')), { extraRows });
  });

  // Each section is saved on its own: read the draft, replace this section's fields, replace the whole draft.
  router.post('/bids/:id/:section', applicant, async (req, res) => {
    const key = sectionKey(param(req, 'section'));
    if (key === 'documents') throw new NotFound('Page');
    const actor = actorOf(req);
    const id = param(req, 'id');
    const posted = (req.body ?? {}) as FormValues;
    const { view, call } = await ownBid(ctx, req);
    const form = new FormReader(posted);
    const part = sectionFor(key).read(form, call);
    const another = posted.another !== undefined;
    const body = withSection(view.bid.draft, part);
    let details: ErrorDetail[];
    if (form.problems.length > 0) {
      // Nothing is saved with a typo in it, but the schema still judges the rest, so every problem shows at once.
      details = schemaProblems('bid.update.schema.json', body);
    } else {
      const drawnAt =
        typeof posted.revision === 'string' && /^\d{1,9}$/.test(posted.revision) ? Number(posted.revision) : undefined;
      const write =
        drawnAt === undefined ? {} : { unchangedSince: { revision: drawnAt, fields: sectionFor(key).owns } };
      try {
        // The section goes into the draft as it stands when saved, not as read above: another tab may have saved
        // another section since. Had it saved this one, the save is refused and both are shown (below).
        await service.editDraft(ctx, actor, id, (draft) => withSection(draft, part), write);
        if (another) return res.redirect(303, `/bids/${id}/${key}?extra=2`);
        await setFlash(req, `${sectionTitle(key)} saved.`);
        return res.redirect(303, `/bids/${id}`);
      } catch (error) {
        if (error instanceof PreconditionFailed)
          return renderSection(req, res, key, { status: 409, values: posted, conflict: true, extraRows: 0 });
        if (!(error instanceof Validation)) throw error;
        details = error.details;
      }
    }
    await renderSection(req, res, key, {
      status: 422,
      values: posted,
      errors: form.errorItems(details),
      extraRows: another ? 1 : 0,
    });
  });

  return router;
}

/**
 * The lead answers a question from the funder: the question with only the named sections' fields open (the
 * section pages' own fields, in one form) and the answer, check your answers (what will change, field by field),
 * send, and the receipt of the version it makes. A partner's members read the question only. Thin handlers over
 * clarificationAnswerViews.ts; what the pages show is clarificationPageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { AppError, Forbidden, toAppError, Validation } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { errorsByField, rawValue, type ErrorItem, type FormValues } from '../web/forms.ts';
import { param } from '../web/params.ts';
import { validCsrfToken } from '../web/csrf.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { answeredFields } from './clarificationRules.ts';
import {
  answerFormSections,
  answerValues,
  changeRows,
  onTheAnswerForm,
  readAnswerForm,
} from './clarificationPageModels.ts';
import {
  checkAnswer,
  submitAnswer,
  viewAnswer,
  viewAnswerReceipt,
  type AnswerView,
} from './clarificationAnswerViews.ts';
import { gatewayView, receiptView } from './pageModels.ts';
import * as service from './service.ts';
import type { BidFields } from './types.ts';
import { acceptedUpload, receiveFile, runMiddleware } from './uploads.ts';

const applicant = requireRole('applicant');

/** Refuses (403) a partner's member, who reads the funder's questions but does not answer them. */
function refusePartner(answer: { read: { viewer: string } }): void {
  if (answer.read.viewer === 'partner') throw new Forbidden("Only the lead's members answer the funder's questions");
}

/** The clarification pages that take a multipart upload (app.ts lets them through to check their own token). */
export const CLARIFICATION_UPLOAD_PATHS = [/^\/bids\/[^/]+\/clarifications\/[^/]+\/attachments$/];

/** The lead's clarification pages. */
export function clarificationPages(ctx: AppContext): Router {
  const router = Router();
  const receiveUpload = receiveFile('file', { csrf: (req, token) => validCsrfToken(ctx.config, req, token) });
  const base = (req: Request) => `/bids/${param(req, 'id')}/clarifications/${param(req, 'clarificationId')}`;

  /** The question as this request reads it, once: each handler passes it on. */
  const readAnswer = (req: Request) => viewAnswer(ctx, actorOf(req), param(req, 'id'), param(req, 'clarificationId'));

  /** The question, with the answer form while this reader may answer it; else the question and its status. */
  const renderAnswer = (
    req: Request,
    res: Response,
    answer: AnswerView,
    status: number,
    values?: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const { read, call, clarification, base: version } = answer;
    const form = {
      values: values ?? answerValues(clarification.sections, call, version.fields, ''),
      errors: errorsByField(errors),
    };
    const attachments = [...version.attachments, ...answer.uploaded];
    res.status(status).render('bids/clarification-answer', {
      pageTitle: `Answer the funder's question: ${answer.title}`,
      backLink: `/bids/${read.bid.id}`,
      flash: takeFlash(req),
      bid: { id: read.bid.id, reference: read.bid.reference, title: answer.title },
      clarification: answer.row,
      canAnswer: answer.canAnswer,
      partner: read.viewer === 'partner',
      documents: clarification.sections.includes('documents'),
      uploads: clarification.sections.some((s) => s === 'documents' || s === 'match-funding'),
      uploaded: answer.uploaded.map((a) => ({ filename: a.filename, href: `/bids/${read.bid.id}/files/${a.id}` })),
      action: base(req),
      answer: { id: 'answer', value: rawValue(form.values, 'answer'), error: form.errors.answer },
      sections: answerFormSections(clarification.sections, call, form, {
        catalogue: answer.catalogue,
        // A letter may be any file of the version asked about, or one uploaded for the answer.
        attachments,
        draft: version.fields,
      }),
      errors,
    });
  };

  /** A clear page for an answer the lock refuses (after the reply-by, answered already), keeping what was typed. */
  const renderRefused = (req: Request, res: Response, error: AppError, typed: string) =>
    res.status(error.status).render('bids/clarification-refused', {
      pageTitle: 'Your answer was not sent',
      backLink: `/bids/${param(req, 'id')}`,
      bidId: param(req, 'id'),
      message: error.message,
      typed,
    });

  router.get('/bids/:id/clarifications/:clarificationId', applicant, async (req, res) =>
    renderAnswer(req, res, await readAnswer(req), 200),
  );

  router.post('/bids/:id/clarifications/:clarificationId/check', applicant, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const answer = await readAnswer(req);
    refusePartner(answer);
    const {
      reader,
      answer: text,
      changes,
    } = readAnswerForm(values, answer.clarification.sections, answer.call, answer.base.fields);
    if (reader.problems.length > 0) return renderAnswer(req, res, answer, 422, values, reader.errorItems());
    let changed;
    try {
      changed = checkAnswer(ctx, actorOf(req), answer, { answer: text!, changes });
    } catch (error) {
      if (error instanceof Validation)
        return renderAnswer(req, res, answer, 422, values, reader.errorItems(onTheAnswerForm(error.details), 'answer'));
      if (error instanceof AppError && error.status === 409) return renderRefused(req, res, error, text!);
      throw error;
    }
    res.render('bids/clarification-check', {
      pageTitle: 'Check your answer before sending it',
      backLink: base(req),
      bid: { id: answer.read.bid.id, reference: answer.read.bid.reference, title: answer.title },
      clarification: answer.row,
      action: base(req),
      answer: text,
      changes: changeRows(changed),
      hidden: { answer: text, changes: JSON.stringify(changes) },
    });
  });

  router.post('/bids/:id/clarifications/:clarificationId/answer', applicant, async (req, res) => {
    const posted = (req.body ?? {}) as FormValues;
    const view = await readAnswer(req);
    refusePartner(view);
    const answer = rawValue(posted, 'answer');
    let changes: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawValue(posted, 'changes') || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError();
      changes = parsed as Record<string, unknown>;
    } catch {
      throw new Validation('The answer could not be read', [{ path: '/changes', message: 'Send the form again' }]);
    }
    if (posted.change !== undefined) {
      const fields = answeredFields(view.base.fields, changes) as BidFields;
      return renderAnswer(req, res, view, 200, answerValues(view.clarification.sections, view.call, fields, answer));
    }
    let sent;
    try {
      sent = await submitAnswer(ctx, actorOf(req), view, { answer, changes });
    } catch (error) {
      if (error instanceof AppError && error.status === 409) return renderRefused(req, res, error, answer);
      if (!(error instanceof Validation)) throw error;
      // Nothing was written: the question reads as it did before the send.
      const fields = answeredFields(view.base.fields, changes) as BidFields;
      const values = answerValues(view.clarification.sections, view.call, fields, answer);
      const items = onTheAnswerForm(error.details).map((d) => ({
        field: d.path.split('/').slice(1).join('-') || 'answer',
        message: d.message,
      }));
      return renderAnswer(req, res, view, 422, values, items);
    }
    await setFlash(req, `Your answer was sent: it is version ${sent.version} of the bid.`);
    res.redirect(303, `${base(req)}/receipt`);
  });

  router.get('/bids/:id/clarifications/:clarificationId/receipt', applicant, async (req, res) => {
    const answer = await viewAnswerReceipt(ctx, actorOf(req), param(req, 'id'), param(req, 'clarificationId'));
    if (!answer.version) return res.redirect(base(req));
    res.render('bids/clarification-receipt', {
      pageTitle: 'Answer sent',
      flash: takeFlash(req),
      bid: { id: answer.read.bid.id, reference: answer.read.bid.reference, title: answer.title },
      clarification: answer.row,
      receipt: receiptView(answer.read.bid, answer.version),
      gateway: gatewayView(answer.version),
    });
  });

  // A file for the answer (the named documents, or a match-funding letter): whose bid it is is settled first, then
  // the CSRF token in the form's first field as the file starts, as the bid's own upload does.
  router.post('/bids/:id/clarifications/:clarificationId/attachments', applicant, async (req, res) => {
    const id = param(req, 'id');
    const view = await readAnswer(req);
    refusePartner(view);
    try {
      await service.refuseUploadWithoutRoom(ctx, actorOf(req), id);
      await runMiddleware(receiveUpload, req, res);
      const upload = await acceptedUpload(req.file!);
      const purpose = view.clarification.sections.includes('documents') ? 'supporting' : 'match-evidence';
      const row = await service.addAttachment(ctx, actorOf(req), id, upload, purpose);
      await setFlash(req, `Uploaded ${row.filename}.`);
      res.redirect(303, base(req));
    } catch (error) {
      const appError = toAppError(error);
      if (![400, 409, 413, 415].includes(appError.status)) throw error;
      // The file was refused and nothing written: the question reads as it did before it.
      renderAnswer(req, res, view, appError.status, undefined, [{ field: 'file', message: appError.message }]);
    }
  });

  return router;
}

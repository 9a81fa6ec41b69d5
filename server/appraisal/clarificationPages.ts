/**
 * The officer asks a bid's lead for a clarification: the question form (sections, question, reply-by in UK time),
 * check your answers, and the confirmation once sent. Thin handlers over clarificationViews.ts; what the pages
 * show is clarificationPageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { AppError, Conflict, Validation } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { rawValue, rawValues, toErrorItems, type ErrorItem, type FormValues } from '../web/forms.ts';
import { param } from '../web/params.ts';
import { raiseCheck, raiseForm, raiseValues, readRaiseForm } from './clarificationPageModels.ts';
import {
  submitClarification,
  viewRaiseClarification,
  viewSentClarification,
  type RaiseView,
} from './clarificationViews.ts';
import type { SectionKey } from '../bids/clarificationPageModels.ts';

const officer = requireRole('officer');

/** The officer's clarification pages. */
export function officerClarificationPages(ctx: AppContext): Router {
  const router = Router();

  /**
   * The question form, with what was typed and any problems; refused (409) when no question can be asked now. `view`
   * is the bid as the request has read it already, if it has.
   */
  const renderForm = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues,
    errors: ErrorItem[],
    view?: RaiseView,
  ) => {
    const { bid, refusal } = view ?? (await viewRaiseClarification(ctx, actorOf(req), param(req, 'id')));
    if (refusal && status === 200) throw new Conflict(refusal);
    res.status(status).render('officer/clarification-form', {
      pageTitle: `Ask for a clarification: ${bid.title}`,
      backLink: `/officer/bids/${bid.id}`,
      bid,
      form: raiseForm(values, errors),
      errors,
    });
  };

  router.get('/officer/bids/:id/clarifications/new', officer, (req, res) => renderForm(req, res, 200, {}, []));

  router.post('/officer/bids/:id/clarifications/check', officer, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const { reader, body } = readRaiseForm(values);
    const view = await viewRaiseClarification(ctx, actorOf(req), param(req, 'id'));
    const { bid, refusal } = view;
    if (refusal) return renderForm(req, res, 409, values, [{ field: 'sections', message: refusal }], view);
    if (reader.problems.length > 0) return renderForm(req, res, 422, values, reader.errorItems(), view);
    if (Date.parse(body.respondBy!) <= ctx.clock.now().getTime())
      return renderForm(
        req,
        res,
        422,
        values,
        [{ field: 'respondBy', message: 'The reply-by date and time must be in the future' }],
        view,
      );
    res.render('officer/clarification-check', {
      pageTitle: 'Check your question before sending it',
      backLink: `/officer/bids/${bid.id}/clarifications/new`,
      bid,
      check: raiseCheck({ question: body.question!, sections: body.sections, respondBy: body.respondBy! }),
    });
  });

  router.post('/officer/bids/:id/clarifications', officer, async (req, res) => {
    const posted = (req.body ?? {}) as FormValues;
    const body = {
      question: rawValue(posted, 'question'),
      sections: rawValues(posted, 'sections') as SectionKey[],
      respondBy: rawValue(posted, 'respondBy'),
    };
    const values = Number.isNaN(Date.parse(body.respondBy)) ? { question: body.question } : raiseValues(body);
    if (posted.change !== undefined) return renderForm(req, res, 200, values, []);
    let sent;
    try {
      sent = await submitClarification(ctx, actorOf(req), param(req, 'id'), body);
    } catch (error) {
      if (error instanceof Validation)
        return renderForm(req, res, 422, values, toErrorItems(error.details, 'question'));
      if (error instanceof AppError && error.status === 409)
        return renderForm(req, res, 409, values, [{ field: 'sections', message: error.message }]);
      throw error;
    }
    res.redirect(303, `/officer/bids/${param(req, 'id')}/clarifications/${sent.id}`);
  });

  router.get('/officer/bids/:id/clarifications/:clarificationId', officer, async (req, res) => {
    const { bid, clarification } = await viewSentClarification(
      ctx,
      actorOf(req),
      param(req, 'id'),
      param(req, 'clarificationId'),
    );
    res.render('officer/clarification-sent', {
      pageTitle: 'Clarification sent',
      bid,
      clarification,
    });
  });

  return router;
}

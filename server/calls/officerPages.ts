/**
 * The officer's call pages: their calls, the call editor (create and change a draft), publish with its
 * reasons and warnings, close early (the call's dashboard is appraisal/callDashboard.ts). Thin handlers over
 * calls/service.ts; forms are built in officerPageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { Conflict, Validation, type ErrorDetail } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { validate } from '../validation.ts';
import { toErrorItems, type ErrorItem, type FormValues } from '../web/forms.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { param } from '../web/params.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import {
  callEditorView,
  callFormValues,
  newCallValues,
  onTheEditor,
  readCallForm,
  withoutAnswered,
} from './officerPageModels.ts';
import * as access from '../access/index.ts';
import * as service from './service.ts';
import type { Call, Finding } from './types.ts';

const officer = requireRole('officer');

/** The schema's details for a body, without saving anything: so one post reports typos and gaps together. */
function schemaDetails(body: unknown): ErrorDetail[] {
  try {
    validate('call.create.schema.json', body);
    return [];
  } catch (error) {
    if (error instanceof Validation) return error.details;
    throw error;
  }
}

/** The officer's call pages. */
export function officerCallPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/officer', officer, (_req, res) => res.redirect('/officer/calls'));

  router.get('/officer/calls', officer, async (req, res) => {
    const actor = actorOf(req);
    const views = await service.listCalls(ctx, actor);
    res.render('officer/calls', {
      pageTitle: 'Your calls',
      flash: takeFlash(req),
      calls: views
        .filter(({ call }) => access.seesAsOwnOfficer(actor, call))
        .map(({ call }) => ({
          id: call.id,
          title: call.title,
          reference: call.reference,
          status: call.status,
          closes: formatLondonDateTime(call.closesAt),
          allocationPence: call.priorities.reduce((sum, p) => sum + p.allocationPence, 0),
        })),
    });
  });

  const renderEditor = async (
    res: Response,
    status: number,
    page: {
      call?: Pick<Call, 'id' | 'title' | 'reference'>;
      values: FormValues;
      errors?: ErrorItem[];
      warnings?: Finding[];
      extraRows?: number;
    },
  ) => {
    const catalogue = await service.indicators(ctx);
    res.status(status).render('officer/call-form', {
      pageTitle: page.call ? `Change the draft call: ${page.call.title}` : 'Create a call',
      backLink: page.call ? `/officer/calls/${page.call.id}` : '/officer/calls',
      call: page.call,
      action: page.call ? `/officer/calls/${page.call.id}/edit` : '/officer/calls',
      form: callEditorView(page.values, page.errors ?? [], catalogue, page.extraRows ?? 0),
      warnings: page.warnings,
      errors: page.errors,
    });
  };

  /** Reads the posted editor; answers the body to save, or renders the form again with every problem. */
  const readOrAnswer = async (req: Request, res: Response, call?: Pick<Call, 'id' | 'title' | 'reference'>) => {
    const values = (req.body ?? {}) as FormValues;
    const { reader, body } = readCallForm(values);
    if (reader.problems.length === 0) return { values, reader, body };
    const errors = withoutAnswered(reader.errorItems(onTheEditor(schemaDetails(body))));
    await renderEditor(res, 422, { call, values, errors });
    return undefined;
  };

  router.get('/officer/calls/new', officer, (_req, res) => renderEditor(res, 200, { values: newCallValues() }));

  router.post('/officer/calls', officer, async (req, res) => {
    const read = await readOrAnswer(req, res);
    if (!read) return;
    try {
      const view = await service.createCall(ctx, actorOf(req), read.body);
      await setFlash(req, `The draft call ${view.call.reference} is saved. Publish it when it is ready.`);
      res.redirect(303, `/officer/calls/${view.call.id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      await renderEditor(res, 422, {
        values: read.values,
        errors: withoutAnswered(read.reader.errorItems(onTheEditor(error.details))),
      });
    }
  });

  const draftCall = async (req: Request) => {
    const { call: row } = await access.manageCall(ctx, actorOf(req), param(req, 'id'));
    const { call, warnings } = await service.getCall(ctx, actorOf(req), row.id);
    if (call.status !== 'draft') throw new Conflict('Only a draft call can be changed; this one is published');
    return { call, warnings };
  };

  router.get('/officer/calls/:id/edit', officer, async (req, res) => {
    const { call, warnings } = await draftCall(req);
    await renderEditor(res, 200, {
      call,
      values: callFormValues({ ...call, opensAt: call.opensAt.toISOString(), closesAt: call.closesAt.toISOString() }),
      warnings,
      extraRows: 1,
    });
  });

  router.post('/officer/calls/:id/edit', officer, async (req, res) => {
    const { call } = await draftCall(req);
    const read = await readOrAnswer(req, res, call);
    if (!read) return;
    try {
      await service.replaceCall(ctx, actorOf(req), call.id, read.body);
      await setFlash(req, `The draft call ${read.body.reference ?? call.reference} is saved.`);
      res.redirect(303, `/officer/calls/${call.id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      await renderEditor(res, 422, {
        call,
        values: read.values,
        errors: withoutAnswered(read.reader.errorItems(onTheEditor(error.details))),
      });
    }
  });

  router.post('/officer/calls/:id/publish', officer, async (req, res) => {
    try {
      const view = await service.publishCall(ctx, actorOf(req), param(req, 'id'));
      const warned = view.warnings?.length
        ? ` It has ${view.warnings.length === 1 ? 'a warning' : `${view.warnings.length} warnings`}: see below.`
        : '';
      await setFlash(
        req,
        `The call ${view.call.reference} is published and open for bids from ${formatLondonDateTime(view.call.opensAt)}.${warned}`,
      );
      res.redirect(303, `/officer/calls/${view.call.id}`);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      // The reasons point at the saved call's fields: show them on its editor, where each can be put right.
      const { call, warnings } = await draftCall(req);
      const values = callFormValues({
        ...call,
        opensAt: call.opensAt.toISOString(),
        closesAt: call.closesAt.toISOString(),
      });
      await renderEditor(res, 422, { call, values, errors: toErrorItems(onTheEditor(error.details)), warnings });
    }
  });

  router.post('/officer/calls/:id/close', officer, async (req, res) => {
    const view = await service.closeCall(ctx, actorOf(req), param(req, 'id'));
    await setFlash(req, `The call ${view.call.reference} is closed to bids. Set its appraisal panel next.`);
    res.redirect(303, `/officer/calls/${view.call.id}`);
  });

  return router;
}

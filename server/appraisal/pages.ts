/**
 * The appraiser's pages: their panels, each call's bids with the next step, the declaration of interest, the
 * bid read in full and the score sheet. Thin handlers over the services the API uses (one rule, one place);
 * what the pages show is built in pageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import * as calls from '../calls/service.ts';
import { toCall } from '../calls/presenter.ts';
import { overlapsOfBid } from '../bids/overlaps.ts';
import { overlapsOnCall } from '../consortium/service.ts';
import { versionContent } from '../bids/presenter.ts';
import { registeredOrganisations, withRegisteredLead } from '../bids/registeredLead.ts';
import { Validation } from '../errors.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { errorsByField, FormReader, type ErrorItem, type FormValues } from '../web/forms.ts';
import { param } from '../web/params.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { myPanels } from './panels.ts';
import {
  bidInFull,
  criteriaOf,
  nextStepView,
  readScoreForm,
  runningScore,
  scoreFormValues,
  scoreFormView,
} from './pageModels.ts';
import * as service from './service.ts';
import { viewPanelClarifications } from './clarificationViews.ts';

const appraiser = requireRole('appraiser');

/**
 * The bid as it stands on the appraiser's list (service.appraiserListedBid decides who reaches it, by the list's
 * rule): not on the panel, failed the gateway or declared conflicted are all "not found".
 */
async function listedBid(ctx: AppContext, actor: Actor, bidId: string) {
  const entry = await service.appraiserListedBid(ctx, actor, bidId);
  const organisations = await registeredOrganisations(ctx.knex, [entry.bid.organisationId]);
  const fields = withRegisteredLead(versionContent(entry.version).fields, organisations.get(entry.bid.organisationId));
  return { ...entry, fields, title: fields.title || 'Untitled bid' };
}

/** The appraiser pages. */
export function appraiserPages(ctx: AppContext): Router {
  const router = Router();

  router.get('/appraisal', appraiser, async (req, res) => {
    const panels = await myPanels(ctx, actorOf(req));
    res.render('appraisal/panels', {
      pageTitle: 'Your panels',
      flash: takeFlash(req),
      panels: panels.map(({ call, bids: count, done, toDeclare }) => ({
        id: call.id,
        title: call.title,
        reference: call.reference,
        status: call.status,
        closes: formatLondonDateTime(call.closesAt),
        bids: count,
        done,
        toDeclare,
      })),
    });
  });

  router.get('/appraisal/calls/:id', appraiser, async (req, res) => {
    const actor = actorOf(req);
    const { call: row, bids: list } = await service.appraiserCall(ctx, actor, param(req, 'id'));
    const call = toCall(row, ctx.clock.now());
    const organisations = await registeredOrganisations(
      ctx.knex,
      list.map(({ bid }) => bid.organisationId),
    );
    res.render('appraisal/call', {
      pageTitle: `Bids to appraise: ${call.title}`,
      backLink: '/appraisal',
      flash: takeFlash(req),
      call: { ...call, closes: formatLondonDateTime(call.closesAt) },
      bids: list.map(({ bid, version, appraisal }) => {
        const fields = withRegisteredLead(
          version ? versionContent(version).fields : {},
          organisations.get(bid.organisationId),
        );
        return {
          id: bid.id,
          reference: bid.reference,
          title: fields.title || 'Untitled bid',
          lead: fields.partners?.find((p) => p.role === 'lead')?.name ?? '',
          esfPence: version?.esfPence ?? 0,
          next: nextStepView(bid.id, appraisal.nextStep as 'declare' | 'score' | 'done'),
        };
      }),
      done: list.filter((b) => b.appraisal.nextStep === 'done').length,
    });
  });

  const renderDeclare = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const entry = await listedBid(ctx, actorOf(req), param(req, 'id'));
    const byField = errorsByField(errors);
    res.status(status).render('appraisal/declare', {
      pageTitle: `Declare any conflict of interest: ${entry.title}`,
      backLink: `/appraisal/calls/${entry.bid.callId}`,
      bid: { id: entry.bid.id, reference: entry.bid.reference, title: entry.title },
      organisations: (entry.fields.partners ?? []).map((p) => ({
        name: p.name,
        role: p.role === 'lead' ? 'Lead' : 'Delivery partner',
      })),
      declared: entry.appraisal.declared,
      conflict: { value: values.conflict ?? (entry.appraisal.declared ? 'no' : ''), error: byField.conflict },
      details: { value: typeof values.details === 'string' ? values.details : '', error: byField.details },
      errors,
    });
  };

  router.get('/appraisal/bids/:id/declare', appraiser, (req, res) => renderDeclare(req, res, 200, {}));

  router.post('/appraisal/bids/:id/declare', appraiser, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const form = new FormReader(values);
    const answer = form.text('/conflict');
    if (answer !== 'yes' && answer !== 'no')
      return renderDeclare(req, res, 422, values, [
        {
          field: 'conflict',
          message: 'Select yes if you have a conflict of interest in this bid, or no if you do not',
        },
      ]);
    const details = form.text('/details');
    const entry = await listedBid(ctx, actorOf(req), param(req, 'id'));
    try {
      await service.declareConflict(ctx, actorOf(req), entry.bid.id, {
        conflict: answer === 'yes',
        ...(details ? { details } : {}),
      });
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      return renderDeclare(req, res, 422, values, form.errorItems(error.details));
    }
    if (answer === 'yes') {
      await setFlash(
        req,
        `You declared a conflict of interest in ${entry.bid.reference}. It is off your list and you will not see ` +
          `or score it.`,
      );
      return res.redirect(303, `/appraisal/calls/${entry.bid.callId}`);
    }
    await setFlash(
      req,
      `You declared no conflict of interest in ${entry.bid.reference}. You can now read and score it.`,
    );
    res.redirect(303, `/appraisal/bids/${entry.bid.id}`);
  });

  router.get('/appraisal/bids/:id', appraiser, async (req, res) => {
    const actor = actorOf(req);
    const entry = await listedBid(ctx, actor, param(req, 'id'));
    if (!entry.appraisal.declared) return res.redirect(303, `/appraisal/bids/${entry.bid.id}/declare`);
    // The list's rule has let the appraiser read the bid: its newest version and call are in the entry.
    const call = toCall(entry.call, ctx.clock.now());
    const content = versionContent(entry.version);
    const overlaps = overlapsOfBid(await overlapsOnCall(ctx, entry), entry.bid.id);
    const { clarifications, earlierVersion } = await viewPanelClarifications(ctx, actor, entry.bid.id);
    res.render('appraisal/bid', {
      clarifications,
      earlierVersion,
      version: entry.version.version,
      overlaps,
      pageTitle: entry.title,
      backLink: `/appraisal/calls/${call.id}`,
      flash: takeFlash(req),
      call: { id: call.id, title: call.title },
      submittedAt: formatLondonDateTime(entry.version.submittedAt),
      next: nextStepView(entry.bid.id, entry.appraisal.nextStep as 'score' | 'done'),
      bid: bidInFull({
        bidId: entry.bid.id,
        reference: entry.bid.reference,
        fields: content.fields,
        call,
        catalogue: await calls.indicators(ctx),
        attachments: content.attachments,
      }),
    });
  });

  const renderScores = async (
    req: Request,
    res: Response,
    status: number,
    posted?: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const actor = actorOf(req);
    const entry = await listedBid(ctx, actor, param(req, 'id'));
    if (!entry.appraisal.declared) return res.redirect(303, `/appraisal/bids/${entry.bid.id}/declare`);
    const sheet = await service.mySheet(ctx, access.sheetOfListed(actor, entry));
    const call = toCall(entry.call, ctx.clock.now());
    const criteria = criteriaOf(call);
    const values = posted ?? scoreFormValues(criteria, sheet.scores);
    res.status(status).render('appraisal/score', {
      pageTitle: `Score: ${entry.title}`,
      backLink: `/appraisal/calls/${call.id}`,
      flash: takeFlash(req),
      bid: {
        id: entry.bid.id,
        reference: entry.bid.reference,
        title: entry.title,
        lead: entry.fields.partners?.find((p) => p.role === 'lead')?.name,
      },
      call: { id: call.id, title: call.title },
      submittedAt: sheet.submittedAt ? formatLondonDateTime(sheet.submittedAt) : undefined,
      criteria: scoreFormView(criteria, values, errors),
      running: runningScore(criteria, sheet.scores),
      errors,
    });
  };

  router.get('/appraisal/bids/:id/score', appraiser, (req, res) => renderScores(req, res, 200));

  router.post('/appraisal/bids/:id/score', appraiser, async (req, res) => {
    const actor = actorOf(req);
    const values = (req.body ?? {}) as FormValues;
    const submit = values.action === 'submit';
    const entry = await listedBid(ctx, actor, param(req, 'id'));
    const criteria = criteriaOf(toCall(entry.call, ctx.clock.now()));
    const { reader, body } = readScoreForm(values, criteria, submit);
    if (reader.problems.length > 0) return renderScores(req, res, 422, values, reader.errorItems());
    try {
      await service.saveMyScores(ctx, actor, entry.bid.id, body);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      return renderScores(req, res, 422, values, reader.errorItems(error.details));
    }
    if (submit) {
      await setFlash(req, `You submitted your scores for ${entry.bid.reference}.`);
      return res.redirect(303, `/appraisal/calls/${entry.bid.callId}`);
    }
    await setFlash(req, 'Your draft scores are saved. Submit them when every criterion is scored.');
    res.redirect(303, `/appraisal/bids/${entry.bid.id}/score`);
  });

  return router;
}

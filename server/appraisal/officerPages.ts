/**
 * The officer's appraisal pages: the panel and its progress, moderation, the ranking with both funding plans,
 * decisions, and a bid read in full with its gateway, scores and audit trail. Thin handlers over
 * appraisal/service.ts (the API's services); what they show is built in officerPageModels.ts.
 */
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import * as calls from '../calls/service.ts';
import { toCall } from '../calls/presenter.ts';
import type { Call } from '../calls/types.ts';
import * as bids from '../bids/service.ts';
import { versionContent } from '../bids/presenter.ts';
import { registeredOrganisations, withRegisteredLead } from '../bids/registeredLead.ts';
import { gatewayView } from '../bids/pageModels.ts';
import { Conflict, NotFound, Validation } from '../errors.ts';
import { staffOfFunder } from '../identity/service.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { FormReader, rawValue, toErrorItems, type ErrorItem, type FormValues } from '../web/forms.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { param } from '../web/params.ts';
import { setFlash, takeFlash } from '../web/flash.ts';
import { callLinks } from './callDashboardModels.ts';
import { planObjective } from './planObjective.ts';
import { panelProgress, setAsideNotices, type SetAsideNotice } from './panels.ts';
import { bidInFull, criteriaOf } from './pageModels.ts';
import {
  decisionForm,
  moderationCriteria,
  moderationForm,
  moderationList,
  moderationValues,
  plansView,
  rankingRow,
  readDecisionForm,
  readModerationForm,
  recommendationTag,
  scoreChartView,
  standingLine,
  uniqueErrors,
} from './officerPageModels.ts';
import * as service from './service.ts';
import { viewOfficerClarifications, viewScoredVersions } from './clarificationViews.ts';
import { feedbackField, feedbackFromPanel, readReleaseForm, releaseView } from './releasePageModels.ts';
import { feedbackOf, presentRelease } from './releaseService.ts';

const officer = requireRole('officer');

/** The officer's own call (404 for another funder's): access's proof, to pass on, and the call as pages show it. */
async function ownCall(ctx: AppContext, req: Request) {
  const managed = await access.manageCall(ctx, actorOf(req), param(req, 'id'));
  return { managed, call: toCall(managed.call, ctx.clock.now()) };
}

/** A bid on one of the officer's calls, with its call and the submitted version's fields. */
async function officerBid(ctx: AppContext, req: Request) {
  // The pages are for officers: a bid an officer reads at all, they read as its call's officer.
  const view = access.officerBid(await bids.getBid(ctx, actorOf(req), param(req, 'id')), 'Only officers appraise bids');
  if (!view.version) throw new NotFound('Bid');
  const content = versionContent(view.version);
  return { view, call: toCall(view.call, ctx.clock.now()), content, title: content.fields.title || 'Untitled bid' };
}

/** The set-aside notices as the pages show them, in UK time. */
function setAsideView(notices: readonly SetAsideNotice[]) {
  return notices.map((n) => ({
    name: n.name,
    submittedAt: formatLondonDateTime(n.submittedAt),
    declaredAt: formatLondonDateTime(n.declaredAt),
  }));
}

/** A criterion's title by its code (the code itself if the call has no such criterion). */
function criterionTitle(call: Call): (code: string) => string {
  const titles = new Map(criteriaOf(call).map((c) => [c.code, c.title]));
  return (code) => titles.get(code) ?? code;
}

/** The officer's appraisal pages. */
export function officerAppraisalPages(ctx: AppContext): Router {
  const router = Router();

  const renderPanel = async (
    req: Request,
    res: Response,
    status: number,
    chosen?: string[],
    errors: ErrorItem[] = [],
  ) => {
    const actor = actorOf(req);
    const { managed, call } = await ownCall(ctx, req);
    const [appraisers, progress] = await Promise.all([
      staffOfFunder(ctx, actor, 'appraiser'),
      panelProgress(ctx, managed),
    ]);
    const onPanel = new Set(chosen ?? progress.panel.map((m) => m.appraiserId));
    res.status(status).render('officer/panel', {
      pageTitle: `Appraisal panel: ${call.title}`,
      backLink: `/officer/calls/${call.id}`,
      flash: takeFlash(req),
      call,
      canSet: callLinks(call).panel,
      appraisers: appraisers.map((a, i) => ({
        id: i === 0 ? 'appraiserIds' : `appraiserIds-${i + 1}`,
        value: a.id,
        name: a.name,
        email: a.email,
        checked: onPanel.has(a.id),
      })),
      error: errors[0]?.message,
      progress: progress.panel,
      toAppraise: progress.bids.filter((b) => b.appraised).length,
      errors,
    });
  };

  router.get('/officer/calls/:id/panel', officer, (req, res) => renderPanel(req, res, 200));

  router.post('/officer/calls/:id/panel', officer, async (req, res) => {
    const appraiserIds = new FormReader(req.body ?? {}).list('/appraiserIds');
    if (appraiserIds.length === 0)
      return renderPanel(
        req,
        res,
        422,
        [],
        [{ field: 'appraiserIds', message: 'Select at least one appraiser for the panel' }],
      );
    try {
      await service.setPanel(ctx, actorOf(req), param(req, 'id'), { appraiserIds });
    } catch (error) {
      if (error instanceof Validation)
        return renderPanel(
          req,
          res,
          422,
          appraiserIds,
          toErrorItems(error.details.map((d) => ({ ...d, path: '/appraiserIds' }))),
        );
      if (error instanceof Conflict)
        return renderPanel(req, res, 409, appraiserIds, [{ field: 'appraiserIds', message: error.message }]);
      throw error;
    }
    await setFlash(
      req,
      `The panel is set: ${appraiserIds.length} ${appraiserIds.length === 1 ? 'appraiser' : 'appraisers'}. They ` +
        `can now declare their interests and score.`,
    );
    res.redirect(303, `/officer/calls/${param(req, 'id')}/panel`);
  });

  router.get('/officer/calls/:id/moderation', officer, async (req, res) => {
    const { managed, call } = await ownCall(ctx, req);
    if (!callLinks(call).appraisal)
      throw new Conflict(`Scores are moderated once the panel is set; this call is ${call.status}`);
    const ranking = await service.callRanking(ctx, managed);
    res.render('officer/moderation', {
      pageTitle: `Moderation: ${call.title}`,
      backLink: `/officer/calls/${call.id}`,
      flash: takeFlash(req),
      call,
      bids: moderationList(ranking),
    });
  });

  const renderModerate = async (
    req: Request,
    res: Response,
    status: number,
    posted?: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const { view, call, title } = await officerBid(ctx, req);
    const [scores, setAside] = await Promise.all([
      service.bidScores(ctx, await access.readScores(ctx, actorOf(req), view)),
      setAsideNotices(ctx, view),
    ]);
    const rows = moderationCriteria(criteriaOf(call), scores);
    res.status(status).render('officer/moderate', {
      pageTitle: `Moderate: ${title}`,
      backLink: `/officer/calls/${call.id}/moderation`,
      flash: takeFlash(req),
      call,
      bid: { id: view.bid.id, reference: view.bid.reference, title, gatewayPassed: view.version!.gatewayPassed },
      canModerate: call.status === 'appraisal' && view.version!.gatewayPassed,
      appraisers: scores.appraisers.map((a) => ({ label: a.label, submittedAt: formatLondonDateTime(a.submittedAt) })),
      setAside: setAsideView(setAside),
      weighted: scores.weightedScorePercent,
      meetsThresholds: scores.meetsThresholds,
      criteria: moderationForm(rows, posted ?? moderationValues(rows), errors),
      errors,
    });
  };

  router.get('/officer/bids/:id/moderate', officer, (req, res) => renderModerate(req, res, 200));

  router.post('/officer/bids/:id/moderate', officer, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const { reader, body } = readModerationForm(values);
    if (reader.problems.length > 0) return renderModerate(req, res, 422, values, reader.errorItems());
    if (body.scores.length === 0)
      return renderModerate(req, res, 422, values, [
        { field: 'scores-0-score', message: 'Choose a moderated score for at least one criterion' },
      ]);
    try {
      await service.moderate(ctx, actorOf(req), param(req, 'id'), body);
    } catch (error) {
      if (!(error instanceof Validation)) throw error;
      return renderModerate(req, res, 422, values, uniqueErrors(reader.errorItems(error.details)));
    }
    await setFlash(req, 'The moderated scores are saved.');
    res.redirect(303, `/officer/bids/${param(req, 'id')}/moderate`);
  });

  router.get('/officer/calls/:id/ranking', officer, async (req, res) => {
    const { call } = await ownCall(ctx, req);
    if (!callLinks(call).appraisal)
      throw new Conflict(`The ranking is shown once the panel is set; this call is ${call.status}`);
    const objective = planObjective(req.query.objective);
    const { appraisal } = await service.callAppraisal(ctx, actorOf(req), call.id, objective);
    const titleOf = criterionTitle(call);
    const rows = appraisal.bids.map((b) => rankingRow(b, titleOf));
    res.render('officer/ranking', {
      pageTitle: `Ranking and funding plans: ${call.title}`,
      backLink: `/officer/calls/${call.id}`,
      call,
      links: callLinks(call),
      objective,
      ranked: rows.filter((r) => r.rank !== null),
      unranked: rows.filter((r) => r.rank === null),
      scores: scoreChartView(appraisal.bids),
      plans: plansView(appraisal.bids, appraisal.greedy, appraisal.optimal, appraisal.difference),
    });
  });

  const renderDecisions = async (
    req: Request,
    res: Response,
    status: number,
    values?: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const { managed, call } = await ownCall(ctx, req);
    if (!callLinks(call).decisions)
      throw new Conflict(`Decisions are made once the call has closed; this call is ${call.status}`);
    const bids = await service.callDecisions(ctx, managed);
    res.status(status).render('officer/decisions', {
      pageTitle: `Decisions: ${call.title}`,
      backLink: `/officer/calls/${call.id}`,
      flash: takeFlash(req),
      call,
      links: callLinks(call),
      release: releaseView(presentRelease(managed.call, ctx.clock.now()), values, errors),
      errors,
      bids: bids.map((b) => ({
        id: b.bid.id,
        rank: b.rank,
        reference: b.bid.reference,
        title: b.fields.title || 'Untitled bid',
        weighted: b.weighted?.percent ?? null,
        gatewayPassed: b.gatewayPassed,
        recommendation: recommendationTag(b.recommendation),
        decision: b.decision?.decision,
      })),
      undecided: bids.filter((b) => !b.decision).length,
    });
  };

  router.get('/officer/calls/:id/decisions', officer, (req, res) => renderDecisions(req, res, 200));

  // When the call's decisions reach applicants: a UK date and time, or now.
  router.post('/officer/calls/:id/release', officer, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const { reader, releaseDecisionsAt } = readReleaseForm(values, ctx.clock.now());
    if (reader.problems.length > 0) return renderDecisions(req, res, 422, values, reader.errorItems());
    let release;
    try {
      release = await service.setRelease(ctx, actorOf(req), param(req, 'id'), { releaseDecisionsAt });
    } catch (error) {
      if (error instanceof Validation)
        return renderDecisions(req, res, 422, values, toErrorItems(error.details, 'releaseDecisionsAt'));
      if (error instanceof Conflict)
        return renderDecisions(req, res, 409, values, [{ field: 'releaseDecisionsAt', message: error.message }]);
      throw error;
    }
    await setFlash(
      req,
      release.released
        ? 'The decisions are released: applicants can see them, with their feedback.'
        : `The decisions will be released on ${formatLondonDateTime(release.releaseDecisionsAt!)} (UK time).`,
    );
    res.redirect(303, `/officer/calls/${param(req, 'id')}/decisions`);
  });

  const renderDecision = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues,
    errors: ErrorItem[] = [],
  ) => {
    const { view, call, content, title } = await officerBid(ctx, req);
    const line = await service.bidRanking(ctx, view, content.fields);
    const saved = await feedbackOf(ctx, view);
    // The officer may start the applicant's feedback from the panel's comments (a link; nothing is saved until sent).
    const panel =
      req.query.feedbackFrom === 'panel'
        ? feedbackFromPanel(
            criteriaOf(call),
            await service.bidScores(ctx, await access.readScores(ctx, actorOf(req), view)),
          )
        : undefined;
    res.status(status).render('officer/decide', {
      feedback: feedbackField(values.feedback !== undefined ? values : undefined, saved, panel, errors),
      feedbackSaved: saved !== undefined,
      correcting: view.decision !== undefined,
      correctionReason: {
        id: 'correctionReason',
        value: rawValue(values, 'correctionReason'),
        error: errors.find((e) => e.field === 'correctionReason')?.message,
      },
      flash: takeFlash(req),
      pageTitle: `Decision: ${title}`,
      backLink: `/officer/calls/${call.id}/decisions`,
      call,
      bid: { id: view.bid.id, reference: view.bid.reference, title },
      line: line ? standingLine(line, criterionTitle(call)) : undefined,
      decided: view.decision
        ? {
            decision: view.decision.decision,
            conditions: view.decision.conditions,
            reason: view.decision.reason,
            at: formatLondonDateTime(view.decision.decidedAt),
          }
        : undefined,
      form: decisionForm(values, errors),
      errors,
    });
  };

  router.get('/officer/bids/:id/decision', officer, (req, res) => renderDecision(req, res, 200, {}));

  router.post('/officer/bids/:id/decision', officer, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const { reader, body } = readDecisionForm(values);
    if (!body.decision)
      return renderDecision(req, res, 422, values, [{ field: 'decision', message: 'Select a decision' }]);
    const { view, call } = await officerBid(ctx, req);
    // Replacing a recorded decision is a correction: it says why, and the audit keeps both.
    if (view.decision) {
      const correctionReason = reader.text('/correctionReason');
      if (!correctionReason)
        return renderDecision(req, res, 422, values, [
          { field: 'correctionReason', message: 'Enter the reason for correcting the decision' },
        ]);
      body.correctionReason = correctionReason;
    }
    try {
      await service.decide(ctx, actorOf(req), view.bid.id, body);
    } catch (error) {
      if (error instanceof Validation)
        return renderDecision(req, res, 422, values, uniqueErrors(reader.errorItems(error.details, 'decision')));
      if (error instanceof Conflict)
        return renderDecision(req, res, 409, values, [{ field: 'decision', message: error.message }]);
      throw error;
    }
    const words =
      { approved: 'approved', approved_with_conditions: 'approved with conditions', rejected: 'rejected' }[
        body.decision
      ] ?? body.decision;
    await setFlash(req, `Decision ${view.decision ? 'corrected' : 'recorded'}: ${view.bid.reference} is ${words}.`);
    res.redirect(303, `/officer/calls/${call.id}/decisions`);
  });

  // The applicant's feedback on the bid, released with its decision.
  router.post('/officer/bids/:id/feedback', officer, async (req, res) => {
    const values = (req.body ?? {}) as FormValues;
    const feedback = new FormReader(values).text('/feedback');
    if (!feedback)
      return renderDecision(req, res, 422, values, [
        { field: 'feedback', message: 'Enter the feedback for the applicant' },
      ]);
    try {
      await service.writeFeedback(ctx, actorOf(req), param(req, 'id'), { feedback });
    } catch (error) {
      if (error instanceof Validation)
        return renderDecision(req, res, 422, values, toErrorItems(error.details, 'feedback'));
      if (error instanceof Conflict)
        return renderDecision(req, res, 409, values, [{ field: 'feedback', message: error.message }]);
      throw error;
    }
    await setFlash(req, 'The feedback is saved. The applicant reads it with the decision, once released.');
    res.redirect(303, `/officer/bids/${param(req, 'id')}/decision`);
  });

  router.get('/officer/bids/:id', officer, async (req, res) => {
    const actor = actorOf(req);
    const { view, call, content, title } = await officerBid(ctx, req);
    const lead = (await registeredOrganisations(ctx.knex, [view.bid.organisationId])).get(view.bid.organisationId);
    const [catalogue, audit, setAside] = await Promise.all([
      calls.indicators(ctx),
      service.bidAudit(ctx, actor, view.bid.id),
      setAsideNotices(ctx, view),
    ]);
    const titleOf = criterionTitle(call);
    const scores = view.version!.gatewayPassed
      ? await service.bidScores(ctx, await access.readScores(ctx, actor, view))
      : undefined;
    // After the deadline: the bid's questions, what each answer changed, and who scored which version.
    const [{ clarifications, canAsk }, scoredVersions] = await Promise.all([
      viewOfficerClarifications(ctx, view),
      scores ? viewScoredVersions(ctx, actor, scores) : [],
    ]);
    res.render('officer/bid', {
      clarifications,
      askHref: canAsk ? `/officer/bids/${view.bid.id}/clarifications/new` : undefined,
      scoredVersions,
      pageTitle: title,
      backLink: `/officer/calls/${call.id}`,
      call,
      bidId: view.bid.id,
      links: callLinks(call),
      status: view.bid.status,
      submittedAt: formatLondonDateTime(view.version!.submittedAt),
      version: view.version!.version,
      sha256: view.version!.sha256,
      gateway: gatewayView(view.version!),
      setAside: setAsideView(setAside),
      scores: scores
        ? {
            weighted: scores.weightedScorePercent,
            meetsThresholds: scores.meetsThresholds,
            criteria: scores.final.map((f) => ({ ...f, title: titleOf(f.criterion) })),
            appraisers: scores.appraisers.length,
          }
        : undefined,
      audit: audit.map((event) => ({
        at: formatLondonDateTime(event.occurredAt),
        action: String(event.action),
        who: 'name' in event.actor && event.actor.name ? String(event.actor.name) : String(event.actor.role ?? ''),
      })),
      bid: bidInFull({
        bidId: view.bid.id,
        reference: view.bid.reference,
        fields: withRegisteredLead(content.fields, lead),
        call,
        catalogue,
        attachments: content.attachments,
      }),
    });
  });

  return router;
}

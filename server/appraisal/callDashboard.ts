/**
 * The officer's call dashboard: the call with live counts of its bids, ESF asked of each priority, the panel's
 * progress and, once appraising, the score chart. A thin handler over calls/service.ts and the appraisal's
 * services; its figures are built in callDashboardModels.ts.
 */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { actorOf, requireRole } from '../web/guards.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { param } from '../web/params.ts';
import { takeFlash } from '../web/flash.ts';
import { versionContent } from '../bids/presenter.ts';
import { registeredOrganisations } from '../bids/registeredLead.ts';
import * as access from '../access/index.ts';
import * as service from '../calls/service.ts';
import { offerUptake } from '../consortium/service.ts';
import { findOverlaps } from '../bids/overlaps.ts';
import { submittedByDeadline } from '../bids/status.ts';
import { panelProgress } from './panels.ts';
import { callRanking } from './service.ts';
import { esfChartView, scoreChartView } from './officerPageModels.ts';
import { callLinks, dashboardCounts, esfByPriority } from './callDashboardModels.ts';

const officer = requireRole('officer');

/** The officer's call dashboard page. */
export function callDashboardPage(ctx: AppContext): Router {
  const router = Router();

  router.get('/officer/calls/:id', officer, async (req, res) => {
    const actor = actorOf(req);
    // The call and its bids are read once each and passed down: the panel's progress reads the bids for the page.
    const managed = await access.manageCall(ctx, actor, param(req, 'id'));
    const { call, warnings } = service.callView(ctx, actor, managed.call);
    const progress = await panelProgress(ctx, managed);
    const lines = progress.bids.map(({ bid, version, scored, appraised, submitted, expected }) => ({
      bid,
      version,
      status: bid.status,
      gatewayPassed: version?.gatewayPassed,
      fields: version ? versionContent(version).fields : undefined,
      scored,
      submitted: appraised ? `${submitted} of ${expected}` : undefined,
    }));
    const links = callLinks(call);
    const ranking = links.appraisal ? await callRanking(ctx, managed, lines) : undefined;
    const perPriority = esfByPriority(call.priorities, lines);
    const organisations = await registeredOrganisations(
      ctx.knex,
      lines.map(({ bid }) => bid.organisationId),
    );
    // From the bids already read: the page reads the call's bids once.
    const offers = await offerUptake(
      ctx,
      managed,
      lines.map(({ bid }) => bid),
    );
    const overlaps = findOverlaps(
      lines
        .filter(({ bid, fields }) => submittedByDeadline(bid) && fields)
        .map(({ bid, fields }) => ({ bidId: bid.id, reference: bid.reference, partners: fields!.partners ?? [] })),
    );
    res.render('officer/dashboard', {
      offers,
      overlaps,
      pageTitle: call.title,
      backLink: '/officer/calls',
      flash: takeFlash(req),
      call: { ...call, opens: formatLondonDateTime(call.opensAt), closes: formatLondonDateTime(call.closesAt) },
      links,
      warnings,
      counts: dashboardCounts(lines),
      panelSize: progress.panel.length,
      esf: esfChartView(perPriority),
      scores: ranking ? scoreChartView(ranking) : undefined,
      bids: lines.map(({ bid, version, fields, submitted }) => ({
        id: bid.id,
        reference: bid.reference,
        title: (fields ?? bid.draft).title || 'Untitled bid',
        lead: organisations.get(bid.organisationId)?.name ?? '',
        status: bid.status,
        esfPence: version?.esfPence,
        gateway: version ? (version.gatewayPassed ? 'Passed' : 'Failed') : undefined,
        submitted,
      })),
    });
  });

  return router;
}

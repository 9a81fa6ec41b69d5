/** Public call pages: the list of calls and one call's page. */
import { Router } from 'express';
import type { Actor, AppContext } from '../context.ts';
import type { KeptCalls } from './keptCalls.ts';
import { param } from '../web/params.ts';
import { takeFlash } from '../web/flash.ts';
import { publicCallPages } from './publicPage.ts';
import type { Call, Finding, Indicator } from './types.ts';
import * as service from './service.ts';
import * as consortium from '../consortium/service.ts';
import { listBidsForCall } from '../bids/service.ts';

function totalAllocationPence(call: Call): number {
  return call.priorities.reduce((sum, priority) => sum + priority.allocationPence, 0);
}

/** The view model of a call's public page: indicator codes spelled out from the catalogue. */
export function callPageModel(call: Call, catalogue: Indicator[]) {
  const byCode = new Map(catalogue.map((indicator) => [indicator.code, indicator]));
  const describe = (code: string) => ({ code, title: byCode.get(code)?.title ?? code });
  return {
    call,
    totalAllocationPence: totalAllocationPence(call),
    priorities: call.priorities.map((priority) => ({
      ...priority,
      participants: priority.participantIndicators.map(describe),
      results: priority.resultIndicators.map(describe),
    })),
  };
}

/**
 * The partnership offers a signed-in applicant sees on a call's page: while the call is open, a link to make one,
 * beside each of their own organisation's offers a link to withdraw it, and beside anyone else's, when their
 * organisation has a draft bid on the call, "invite to my bid" (consortium/pages.ts).
 */
async function offersOnPage(ctx: AppContext, actor: Actor | undefined, call: Call) {
  if (actor?.role !== 'applicant' || call.status === 'draft') return {};
  const [offers, bids] = await Promise.all([
    consortium.listOffers(ctx, actor, call.id),
    actor.organisationId ? listBidsForCall(ctx, actor, call.id) : [],
  ]);
  const open = call.status === 'open';
  const drafting = open && bids.some(({ bid }) => bid.status === 'draft');
  return {
    partnershipOffers: {
      canOffer: open && !!actor.organisationId,
      items: offers.map((offer) => {
        const own = offer.organisationId === actor.organisationId;
        return { ...consortium.presentOffer(offer), own, invite: !own && drafting };
      }),
    },
  };
}

/** The call pages; `publishedCalls`, the app's kept rows of published calls, lets the public page skip reading them. */
export function callPages(ctx: AppContext, publishedCalls?: KeptCalls): Router {
  const router = Router();

  router.get('/', (_req, res) => res.redirect('/calls'));

  router.get('/calls', async (req, res) => {
    const views = await service.listCalls(ctx, req.actor);
    res.render('calls/list', {
      pageTitle: 'Calls for funding',
      calls: views.map(({ call }) => ({ ...call, totalAllocationPence: totalAllocationPence(call) })),
    });
  });

  const callPage = (call: Call, catalogue: Indicator[], warnings?: Finding[]) => ({
    name: 'calls/show',
    locals: { pageTitle: call.title, warnings, ...callPageModel(call, catalogue) },
  });
  const publicPages = publicCallPages(ctx, callPage, { calls: publishedCalls });

  router.get('/calls/:id', async (req, res) => {
    // Visitors who are not signed in all see the same page of a published call (publicPage.ts).
    if (!req.actor) return publicPages.send(req, res, param(req, 'id'));
    const { call, warnings } = await service.getCall(ctx, req.actor, param(req, 'id'));
    const { name, locals } = callPage(call, await service.indicators(ctx), warnings);
    res.render(name, { ...locals, flash: takeFlash(req), ...(await offersOnPage(ctx, req.actor, call)) });
  });

  return router;
}

/** Public call pages: the list of calls and one call's page. */
import { Router } from 'express';
import type { AppContext } from '../context.ts';
import { param } from '../web/params.ts';
import { publicCallPages } from './publicPage.ts';
import type { Call, Finding, Indicator } from './types.ts';
import * as service from './service.ts';

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

/** The call pages. */
export function callPages(ctx: AppContext): Router {
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
  const publicPages = publicCallPages(ctx, callPage);

  router.get('/calls/:id', async (req, res) => {
    // Visitors who are not signed in all see the same page of a published call (publicPage.ts).
    if (!req.actor) return publicPages.send(req, res, param(req, 'id'));
    const { call, warnings } = await service.getCall(ctx, req.actor, param(req, 'id'));
    const { name, locals } = callPage(call, await service.indicators(ctx), warnings);
    res.render(name, locals);
  });

  return router;
}

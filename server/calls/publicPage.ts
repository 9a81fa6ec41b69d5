/**
 * A published call's page as a visitor who is not signed in sees it: the page the public and bid writers read
 * most in a round, the same for all of them. It is rendered from the call as it stands, then kept, bounded,
 * beside everything that decided it, so the next visitor is sent the same bytes without rendering it again.
 *
 * Every request still reads the call's row. The page is reused only when its inputs are equal to the ones it
 * was rendered from, compared whole: the published fields as PostgreSQL keeps them, the stage, the funder, the
 * dates and the status the clock gives now. So a call closed, moved to appraisal or decided by any process, or
 * a deadline passing, shows on the very next view, and any process gives the same page for the same row. The
 * templates and the indicator catalogue, the page's other inputs, do not change while a process runs. Nothing
 * is kept that the database does not hold, which is what DESIGN asks of a process ("nothing in the process
 * keeps state between requests"): it is a memo of a pure function, like the compiled templates.
 *
 * Why: rendering was over a third of the page's CPU under load (0.19 of 0.52 ms a request), and kept its rate
 * at about a fifth of bare Express's against the 30% asked (found by `npm run bench`).
 */
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../context.ts';
import { publishedCallFromText } from './presenter.ts';
import type { PublishedCallText } from './repository.ts';
import * as service from './service.ts';
import { callStatus } from './status.ts';
import type { Call, Indicator } from './types.ts';

interface RenderedPage {
  /** Everything the page was rendered from that can change while the process runs, as one string. */
  input: string;
  html: string;
  /** The page's entity tag as Express makes it (undefined where the app sets none), for conditional requests. */
  etag?: string;
}

export interface PublicCallPageOptions {
  /** How many calls' pages are kept at most; the least recently read goes first. */
  maxPages?: number;
}

/** The inputs of an anonymous visitor's page of `published` at `now`, whole, as one string to compare. */
export function publicPageInput(published: PublishedCallText, now: Date): string {
  return [
    callStatus(published.stage, published.closesAt, now),
    published.stage,
    published.funderId,
    published.opensAt.toISOString(),
    published.closesAt.toISOString(),
    published.fieldsJson,
  ].join('\n');
}

function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html!)));
  });
}

/**
 * The sender of anonymous visitors' call pages for one app. `view` renders the page of a call (res.render's
 * view and locals); the same function renders it for signed-in visitors, so the two cannot drift apart.
 */
export function publicCallPages(
  ctx: AppContext,
  view: (call: Call, catalogue: Indicator[]) => { name: string; locals: Record<string, unknown> },
  options: PublicCallPageOptions = {},
) {
  const kept = new LRUCache<string, RenderedPage>({ max: options.maxPages ?? 500 });

  async function send(req: Request, res: Response, id: string): Promise<void> {
    const published = await service.getPublishedCallText(ctx, id);
    const now = ctx.clock.now();
    const input = publicPageInput(published, now);
    let page = kept.get(published.id);
    if (page?.input !== input) {
      const { name, locals } = view(publishedCallFromText(published, now), await service.indicators(ctx));
      const html = await renderToString(res, name, locals);
      const etagOf = req.app.get('etag fn') as ((body: string, encoding: BufferEncoding) => string) | undefined;
      page = { input, html, etag: etagOf?.(html, 'utf8') };
      kept.set(published.id, page);
    }
    // Express's send answers 304 to a matching If-None-Match, and makes no tag of its own when one is set.
    if (page.etag) res.set('ETag', page.etag);
    res.type('html').send(page.html);
  }

  return { send, size: () => kept.size };
}

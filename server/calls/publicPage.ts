/**
 * A published call's page as a visitor who is not signed in sees it: the page the public and bid writers read
 * most in a round, the same for all of them. It is rendered from the call as it stands, then kept, bounded,
 * beside everything that decided it, so the next visitor is sent the same bytes without rendering it again.
 *
 * The page is reused only when its inputs are equal to the ones it was rendered from, compared whole: the
 * published fields as PostgreSQL keeps them, the stage, the funder, the dates and the status the clock gives now.
 * Those come from the call's row, which is read again unless the process can be sure it is as stored
 * (keptCalls.ts: the change feed heard of every change since it was read). So a call closed, moved to appraisal or
 * decided by any process shows on the next view after its change reaches the feed (within milliseconds of the
 * commit), a deadline passing on the very next view (the clock decides the status on every view), and any process
 * gives the same page for the same row. The templates and the indicator catalogue, the page's other inputs, do not
 * change while a process runs. Nothing is kept that the database does not hold: it is a memo of a pure function,
 * like the compiled templates.
 *
 * Why: rendering was over a third of the page's CPU under load, and with it kept, reading the row was most of
 * the rest (the query's round trip cost the server as much CPU as sending the page): the page's rate was about
 * 30% of bare Express's against the 35% asked, and twice that without the read (found by `npm run bench`).
 */
import type { Request, Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../context.ts';
import { keptPublishedCalls, type KeptCalls } from './keptCalls.ts';
import { publishedCallFromText } from './presenter.ts';
import type { PublishedCallText } from './repository.ts';
import * as service from './service.ts';
import { callStatus } from './status.ts';
import type { Call, Indicator } from './types.ts';

interface RenderedPage {
  /** The call's row the page was rendered from. */
  published: PublishedCallText;
  /** Everything the page was rendered from that can change while the process runs, as one string. */
  input: string;
  /** The call's status the page shows (the one input the clock changes). */
  status: string;
  /** The page as sent (kept as bytes: encoding it again on every view was a tenth of a view's CPU). */
  body: Buffer;
  /** The page's entity tag as Express makes it (undefined where the app sets none), for conditional requests. */
  etag?: string;
}

export interface PublicCallPageOptions {
  /** How many calls' pages are kept at most; the least recently read goes first. */
  maxPages?: number;
  /** The app's kept rows of published calls (keptCalls.ts); without them, every view reads the row. */
  calls?: KeptCalls;
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
  const calls = options.calls ?? keptPublishedCalls(ctx, undefined);

  /** The page of `published` at `now`, rendered again only when its inputs have changed. */
  async function pageOf(req: Request, res: Response, published: PublishedCallText, now: Date) {
    const page = kept.get(published.id);
    const status = callStatus(published.stage, published.closesAt, now);
    // The very row the page was rendered from (kept by keptCalls): only the clock can have moved the page on.
    if (page?.published === published && page.status === status) return page;
    const input = publicPageInput(published, now);
    if (page?.input === input) {
      page.published = published;
      return page;
    }
    const { name, locals } = view(publishedCallFromText(published, now), await service.indicators(ctx));
    const html = await renderToString(res, name, locals);
    const etagOf = req.app.get('etag fn') as ((body: string, encoding: BufferEncoding) => string) | undefined;
    const rendered = { published, input, status, body: Buffer.from(html), etag: etagOf?.(html, 'utf8') };
    kept.set(published.id, rendered);
    return rendered;
  }

  async function send(req: Request, res: Response, id: string): Promise<void> {
    const page = await pageOf(req, res, await calls.read(id), ctx.clock.now());
    // Express's send answers 304 to a matching If-None-Match, and makes no tag of its own when one is set.
    if (page.etag) res.set('ETag', page.etag);
    res.type('html').send(page.body);
  }

  return { send, size: () => kept.size };
}

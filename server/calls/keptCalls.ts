/**
 * Published calls' rows, kept while the process can be sure they are as stored: the one rule for when a call's
 * row need not be read again, for its public page (publicPage.ts) and the API's answer to anyone but an officer.
 *
 * A trigger announces each change to a call's row as it commits, and the process listens (the `call_changes`
 * feed, server/db/changeFeed.ts). A row is kept only when it was read while the feed was live and no change was
 * heard meanwhile (one heard may be this call's); a change heard for the call lets it go, and a lost feed lets
 * every row go and each read goes to the database until the feed is back. So a call closed, moved to appraisal or
 * decided by any process is read afresh once its change reaches the feed, within milliseconds of the commit.
 * Without a feed (CHANGE_FEED_DATABASE_URL=off) every read goes to the database. Drafts and unknown ids are
 * never kept.
 *
 * Why: on the two busiest reads of a round, the row's query cost the server as much CPU as answering (found by
 * `npm run bench`).
 */
import { LRUCache } from 'lru-cache';
import type { AppContext } from '../context.ts';
import type { ChangeFeed } from '../db/changeFeed.ts';
import type { PublishedCallText } from './repository.ts';
import * as service from './service.ts';

export interface KeptCalls {
  /** The published call of this id as stored (NotFound for a draft or an unknown id): kept, or read and kept. */
  read(id: string): Promise<PublishedCallText>;
  /** How many rows are kept. */
  size(): number;
}

/** Published calls' rows for one app, at most `max` of them, the least recently read let go first. */
export function keptPublishedCalls(ctx: AppContext, changes: ChangeFeed | undefined, max = 500): KeptCalls {
  const kept = new LRUCache<string, PublishedCallText>({ max });
  changes?.onChange((id) => (id === '*' ? kept.clear() : kept.delete(id)));

  async function read(id: string): Promise<PublishedCallText> {
    // Ids are compared as PostgreSQL writes them (lower case), as the feed names them.
    const key = id.toLowerCase();
    const known = kept.get(key);
    if (known && changes?.live()) return known;
    const liveBefore = changes?.live() ?? false;
    const heardBefore = changes?.heard();
    const published = await service.getPublishedCallText(ctx, key);
    if (liveBefore && changes!.live() && changes!.heard() === heardBefore) kept.set(key, published);
    else kept.delete(key);
    return published;
  }

  return { read, size: () => kept.size };
}

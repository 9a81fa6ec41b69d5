/**
 * Where a panel stands: the panels an appraiser sits on, and, for the officer, each appraiser's progress and
 * which bids every unconflicted panel member has scored. Read-only use cases over the appraisal's tables.
 */
import type { Actor, AppContext } from '../context.ts';
import { callStatus } from '../calls/status.ts';
import type { Call } from '../calls/types.ts';
import { listBids } from '../bids/repository.ts';
import { groupBy } from '../lists.ts';
import type { BidRow, BidVersionRow } from '../models/bids.ts';
import { appraiserListEntry, ownPanels, type ManagedCall, type OfficerBid } from '../access/index.ts';
import { appraisedAs } from '../bids/status.ts';
import { panelAtWork } from './appraised.ts';
import {
  declarationsOnCall,
  listedBidFactsOnCalls,
  panelCallsOf,
  panelOf,
  setAsideSheetsFor,
  sheetCounts,
  sheetsOnCall,
} from './repository.ts';

export interface MyPanel {
  call: Pick<Call, 'id' | 'title' | 'reference' | 'status' | 'closesAt'>;
  /** Bids the appraiser has to appraise (conflicted ones excluded), and how many are done. */
  bids: number;
  done: number;
  toDeclare: number;
}

/**
 * The calls whose panel the appraiser sits on, newest deadline first, with how far they have got: each call's
 * list counted by the list's own rule (appraiserListEntry), every panel's bids read in one query.
 */
export async function myPanels(ctx: AppContext, actor: Actor): Promise<MyPanel[]> {
  const { appraiserId, funderId } = ownPanels(actor);
  const calls = await panelCallsOf(ctx.knex, appraiserId, funderId);
  // Until its panel is at work a call lists no bids (appraiserBidList), so only those calls' bids are read.
  const atWork = calls.filter(panelAtWork).map((call) => call.id);
  const factsBy = groupBy(await listedBidFactsOnCalls(ctx.knex, atWork, appraiserId), (f) => f.callId);
  const now = ctx.clock.now();
  return calls.map((call) => {
    const list = (factsBy.get(call.id) ?? []).flatMap(
      (f) =>
        appraiserListEntry(
          f,
          f.gatewayPassed === null ? undefined : { gatewayPassed: f.gatewayPassed },
          f.conflict === null ? undefined : { conflict: f.conflict },
          { submittedAt: f.submittedAt },
        ) ?? [],
    );
    return {
      call: {
        id: call.id,
        title: call.title,
        reference: call.reference,
        status: callStatus(call.stage, call.closesAt, now),
        closesAt: call.closesAt,
      },
      bids: list.length,
      done: list.filter((b) => b.appraisal.nextStep === 'done').length,
      toDeclare: list.filter((b) => b.appraisal.nextStep === 'declare').length,
    };
  });
}

export interface AppraiserProgress {
  appraiserId: string;
  name: string;
  email: string;
  /** Bids they declared a conflict on (and so never score, or whose submitted scores are set aside). */
  conflicts: number;
  /** Bids with no declaration yet. */
  undeclared: number;
  /** Draft sheets saved but not submitted. */
  drafts: number;
  /** Submitted sheets that count (repository.ts, sheetCounts). */
  submitted: number;
  /** Bids still to score: neither conflicted nor submitted. */
  remaining: number;
}

export interface BidProgress {
  bid: BidRow;
  version: BidVersionRow | undefined;
  /** Submitted on time and through the gateway: the panel appraises it. */
  appraised: boolean;
  /** Panel members without a conflict on this bid, and how many of them have submitted. */
  expected: number;
  submitted: number;
  /** Every unconflicted panel member has submitted their scores. */
  scored: boolean;
}

export interface PanelProgress {
  panel: AppraiserProgress[];
  bids: BidProgress[];
}

/**
 * The officer's view of a call's panel: each appraiser's progress and each bid's scoring state, with every bid on
 * the call and its newest version (read once here, for the caller to use too), on a call the officer manages.
 */
export async function panelProgress(ctx: AppContext, { call }: ManagedCall): Promise<PanelProgress> {
  const [panel, rows, declarations, sheets] = await Promise.all([
    panelOf(ctx.knex, call.id),
    listBids(ctx.knex, call.id),
    declarationsOnCall(ctx.knex, call.id),
    sheetsOnCall(ctx.knex, call.id),
  ]);
  const appraisedIds = new Set(rows.filter(({ bid, version }) => appraisedAs(bid, version)).map(({ bid }) => bid.id));
  const key = (bidId: string, appraiserId: string) => `${bidId}/${appraiserId}`;
  const conflicted = new Set(
    declarations.filter((d) => d.conflict && appraisedIds.has(d.bidId)).map((d) => key(d.bidId, d.appraiserId)),
  );
  const declared = new Set(
    declarations.filter((d) => appraisedIds.has(d.bidId)).map((d) => key(d.bidId, d.appraiserId)),
  );
  const declarationOf = new Map(declarations.map((d) => [key(d.bidId, d.appraiserId), d]));
  // A sheet whose appraiser declared a conflict after scoring is set aside: a conflict, not a submission or a draft.
  const ownSheets = sheets.filter((s) => appraisedIds.has(s.bidId) && !conflicted.has(key(s.bidId, s.appraiserId)));
  const submitted = new Set(
    ownSheets
      .filter((s) => sheetCounts(s, declarationOf.get(key(s.bidId, s.appraiserId))))
      .map((s) => key(s.bidId, s.appraiserId)),
  );
  const drafts = new Set(ownSheets.filter((s) => !s.submittedAt).map((s) => key(s.bidId, s.appraiserId)));

  return {
    panel: panel.map((member) => {
      const count = (set: Set<string>) =>
        [...appraisedIds].filter((bidId) => set.has(key(bidId, member.appraiserId))).length;
      const conflicts = count(conflicted);
      const done = count(submitted);
      return {
        ...member,
        conflicts,
        undeclared: appraisedIds.size - count(declared),
        drafts: count(drafts),
        submitted: done,
        remaining: appraisedIds.size - conflicts - done,
      };
    }),
    bids: rows.map(({ bid, version }) => {
      const appraised = appraisedIds.has(bid.id);
      const expected = appraised ? panel.filter((m) => !conflicted.has(key(bid.id, m.appraiserId))) : [];
      const done = expected.filter((m) => submitted.has(key(bid.id, m.appraiserId))).length;
      return {
        bid,
        version,
        appraised,
        expected: expected.length,
        submitted: done,
        scored: expected.length > 0 && done === expected.length,
      };
    }),
  };
}

/** An appraiser whose submitted scores on a bid are set aside by a conflict declared after scoring. */
export interface SetAsideNotice {
  name: string;
  submittedAt: Date;
  declaredAt: Date;
}

/**
 * For the officer reading a bid (access.officerBid's proof): the appraisers whose scores on it no longer count,
 * having declared a conflict after submitting them.
 */
export async function setAsideNotices(ctx: AppContext, reached: OfficerBid): Promise<SetAsideNotice[]> {
  return (await setAsideSheetsFor(ctx.knex, [reached.bid.id])).map(({ name, submittedAt, declaredAt }) => ({
    name,
    submittedAt,
    declaredAt,
  }));
}

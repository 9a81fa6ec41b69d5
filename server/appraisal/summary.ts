/**
 * The appraisal of a whole call, computed from what is stored: each submitted bid's final scores, weighted
 * score, thresholds and value for money; the ranking; and the greedy and optimal funding plans beside each other.
 * Pages that show no plan take the ranking alone (`rankCall`), which reads and solves nothing more.
 */
import type { Knex } from 'knex';
import type { CallRow } from '../models/calls.ts';
import { BidRow, type BidVersionRow } from '../models/bids.ts';
import { latestVersionSummariesOf } from '../bids/repository.ts';
import type { BidFields } from '../bids/types.ts';
import { APPRAISED_STATUSES, submittedByDeadline } from '../bids/status.ts';
import {
  decisionsFor,
  moderationsFor,
  submittedScoreFiguresFor,
  submittedSheetsFor,
  type Decision,
  type Moderation,
  type ScoreFigures,
  type ScoreSheet,
} from './repository.ts';
import {
  appraiseBid,
  type FinalScore,
  type ScoringCriterion,
  type ThresholdResult,
  type WeightedScore,
} from './scoring.ts';
import { valueForMoney, type ValueForMoney } from './valueForMoney.ts';
import { isRankable, rankBids, type RankableBid, type Ranked } from './ranking.ts';
import { cachedOptimalPlan } from './plan/cache.ts';
import { planDifference } from './plan/difference.ts';
import { greedyPlan, recommendations } from './plan/greedy.ts';
import { optimalPlan } from './plan/optimal.ts';
import type {
  FundingPlan,
  OptimalFundingPlan,
  PlanDifference,
  PlanObjective,
  PriorityAllocation,
  Recommendation,
} from './plan/types.ts';
import { groupBy } from '../lists.ts';
import { withRegisteredLeads } from '../bids/registeredLead.ts';

/** The criteria a call's bids are scored on: core criteria (with thresholds) then gap criteria. */
export function scoringCriteria(call: CallRow): ScoringCriterion[] {
  return [
    ...(call.appraisalCriteria ?? []).map((c) => ({ code: c.code, weight: c.weight, minimumScore: c.minimumScore })),
    ...(call.gapCriteria ?? []).map((c) => ({ code: c.code, weight: c.weight })),
  ];
}

/** A submitted bid with its newest version and that version's fields (the narratives need not be there). */
export interface SubmittedBid {
  /** The bid's row without its working draft: what is appraised is the submitted version. */
  bid: Omit<BidRow, 'draft'>;
  version: BidVersionRow;
  fields: BidFields;
}

/**
 * A submitted bid's scores, worked out from its own rows alone: its submitted sheets and moderations, and what the
 * scores come to. The scores themselves, with their comments, stay in the database (the workbook reads them there).
 */
export interface ScoredBid extends SubmittedBid {
  gatewayPassed: boolean;
  sheets: ScoreSheet[];
  moderations: Moderation[];
  final: FinalScore[];
  weighted: WeightedScore | null;
  thresholds: ThresholdResult;
}

/** A submitted bid's scores and its place in the call's ranking (null when it is not ranked). */
export interface RankedBid extends ScoredBid {
  rank: number | null;
}

/** A ranked bid with its recommendation in the greedy funding plan. */
export interface RecommendedBid extends RankedBid {
  recommendation: Recommendation;
}

export interface AppraisedBid extends RecommendedBid {
  valueForMoney: ValueForMoney;
  decision: Decision | undefined;
}

export interface CallAppraisal {
  bids: AppraisedBid[];
  greedy: FundingPlan;
  optimal: OptimalFundingPlan;
  difference: PlanDifference;
}

/** Calls of up to this many ranked bids (real size, DESIGN.md) are solved to proven optimality. */
export const PROVEN_OPTIMAL_MAX_BIDS = 200;

/**
 * How hard the optimal plan is solved for, by the number of ranked bids: a call of real size to proven
 * optimality (gap 0); a larger one until HiGHS is within 0.01% of its proven bound. Both stop at 5 s; the plan
 * says whether it was proven and, if not, its proven gap.
 */
export function optimalPlanPolicy(rankedBids: number): { timeLimitSeconds: number; relativeGap: number } {
  return { timeLimitSeconds: 5, relativeGap: rankedBids <= PROVEN_OPTIMAL_MAX_BIDS ? 0 : 0.0001 };
}

/**
 * Independent reads: at once on a pool, so PostgreSQL works on one while this process parses another (a national
 * call's summary waited on PostgreSQL for about a third of its time); one after another in a transaction (the
 * workbook reads in one), which has a single connection.
 */
async function readTogether<T extends unknown[]>(
  knex: Knex,
  ...reads: { [K in keyof T]: () => Promise<T[K]> }
): Promise<T> {
  if (!knex.isTransaction) return (await Promise.all(reads.map((read) => read()))) as T;
  const rows: unknown[] = [];
  for (const read of reads) rows.push(await read());
  return rows as T;
}

/** The rows a bid's scores are worked out from: its sheets that count, their scores as numbers, its moderations. */
interface ScoreRows {
  sheets: ScoreSheet[];
  figures: ScoreFigures[];
  moderations: Moderation[];
}

async function scoreRowsOf(knex: Knex, ids: string[]): Promise<ScoreRows> {
  const [sheets, figures, moderations] = await readTogether(
    knex,
    () => submittedSheetsFor(knex, ids),
    () => submittedScoreFiguresFor(knex, ids),
    () => moderationsFor(knex, ids),
  );
  return { sheets, figures, moderations };
}

/**
 * The call's submitted bids with their newest versions, read without canonical text or narratives (with `fields`,
 * only those of each version's fields), and the rows of their scores, read beside the versions.
 */
async function submittedBidsOf(
  knex: Knex,
  call: CallRow,
  fields?: readonly (keyof BidFields)[],
): Promise<{ bids: SubmittedBid[]; scoreRows: ScoreRows }> {
  // Not the working drafts: for 2,000 bids they were some 12 MB read and parsed to be thrown away (found by `npm run
  // bench`).
  const bids: Omit<BidRow, 'draft'>[] = await BidRow.query(knex)
    .select(
      'id',
      'callId',
      'organisationId',
      'reference',
      'status',
      'currentVersion',
      'createdBy',
      'createdAt',
      'updatedAt',
    )
    .where({ callId: call.id })
    .whereIn('status', [...APPRAISED_STATUSES])
    .orderBy('reference');
  const ids = bids.map((bid) => bid.id);
  const [versions, scoreRows] = await readTogether(
    knex,
    () => latestVersionSummariesOf(knex, ids, fields),
    () => scoreRowsOf(knex, ids),
  );
  return { bids: bids.map((bid) => ({ bid, ...versions.get(bid.id)! })), scoreRows };
}

/**
 * Each bid's submitted scores and moderations, and what they come to: final scores, weighted score, thresholds.
 * `rows` are the bids' score rows when the caller has read them (scoreRowsOf); otherwise they are read here.
 */
async function scoreBids(
  knex: Knex,
  call: CallRow,
  bids: readonly SubmittedBid[],
  rows?: ScoreRows,
): Promise<ScoredBid[]> {
  const { sheets, figures, moderations } =
    rows ??
    (await scoreRowsOf(
      knex,
      bids.map(({ bid }) => bid.id),
    ));
  const sheetsBy = groupBy(sheets, (s) => s.bidId);
  const figuresBy = new Map(figures.map((f) => [f.bidId, f]));
  const moderationsBy = groupBy(moderations, (m) => m.bidId);
  const criteria = scoringCriteria(call);
  return bids.map(({ bid, version, fields }) => {
    const bidModerations = moderationsBy.get(bid.id) ?? [];
    const appraisal = appraiseBid(
      criteria,
      Object.entries(figuresBy.get(bid.id)?.byCriterion ?? {}).flatMap(([criterion, scores]) =>
        scores.map((score) => ({ criterion, score })),
      ),
      bidModerations.map((m) => ({ criterion: m.criterion, score: m.score })),
    );
    return {
      bid,
      version,
      fields,
      gatewayPassed: version.gatewayPassed,
      sheets: sheetsBy.get(bid.id) ?? [],
      moderations: bidModerations,
      ...appraisal,
    };
  });
}

/** What the ranking and the funding plans know of a scored bid. */
function rankableOf(b: ScoredBid): RankableBid {
  return {
    bidId: b.bid.id,
    reference: b.bid.reference,
    gatewayPassed: b.version.gatewayPassed,
    meetsThresholds: b.thresholds.meets,
    weighted: b.weighted,
    esfPence: b.version.esfPence,
    participants: b.version.participants,
    submittedAt: b.version.submittedAt,
    priorities: b.fields.priorities ?? [],
  };
}

/** The ranking as the funding plans take it, in rank order. */
function planBidsOf(bids: readonly RankedBid[]): Ranked<RankableBid>[] {
  return bids.map((b) => ({ ...rankableOf(b), rank: b.rank }));
}

function allocationsOf(call: CallRow): PriorityAllocation[] {
  return (call.priorities ?? []).map((p) => ({ code: p.code, allocationPence: p.allocationPence }));
}

/**
 * The ranking of a call's submitted bids, best first, each with its scores: no value for money, decisions or
 * funding plans, so no solver — for pages that show scores and ranks but not the plans. `bids` are the call's
 * bids with their newest versions when the caller has read them already (only the submitted ones are ranked);
 * otherwise they are read here, keeping only `fields` of each version's fields, and the priorities the ranking
 * works from, when given.
 */
export async function rankCall(
  knex: Knex,
  call: CallRow,
  bids?: readonly { bid: Omit<BidRow, 'draft'>; version: BidVersionRow | undefined; fields: BidFields | undefined }[],
  fields?: readonly (keyof BidFields)[],
): Promise<RankedBid[]> {
  const { bids: read, scoreRows } = bids
    ? {
        bids: bids.filter(
          (b): b is SubmittedBid => submittedByDeadline(b.bid) && b.version !== undefined && b.fields !== undefined,
        ),
        scoreRows: undefined,
      }
    : await submittedBidsOf(knex, call, fields && ['priorities', ...fields]);
  // the lead as registered, not as its row is typed, wherever the appraisal shows it (pages, the workbook); nothing
  // to name when the partners were not kept
  const submitted = fields && !fields.includes('partners') ? read : await withRegisteredLeads(knex, read);
  const scored = await scoreBids(knex, call, submitted, scoreRows);
  const scoredBy = new Map(scored.map((b) => [b.bid.id, b]));
  return rankBids(scored.map(rankableOf)).map(({ bidId, rank }) => ({ ...scoredBy.get(bidId)!, rank }));
}

/** Each bid of a ranking with its recommendation in the greedy plan: one pass in rank order, no solver. */
export function withGreedyRecommendations(call: CallRow, bids: readonly RankedBid[]): RecommendedBid[] {
  const planBids = planBidsOf(bids);
  const recommendationOf = recommendations(planBids, greedyPlan(planBids, allocationsOf(call)));
  return bids.map((b) => ({ ...b, recommendation: recommendationOf.get(b.bid.id)! }));
}

/**
 * One submitted bid's scores, rank and greedy recommendation, reading no more than that needs: a bid that cannot
 * be ranked (failed the gateway, not fully scored, below a minimum) is answered from its own scores, as it is
 * neither ranked nor in any plan; a rankable one's rank and recommendation depend on every other bid, so the
 * call's ranking is read. Undefined for a bid that was not submitted when the call closed.
 */
export async function rankOneBid(knex: Knex, call: CallRow, one: SubmittedBid): Promise<RecommendedBid | undefined> {
  if (!submittedByDeadline(one.bid)) return undefined;
  const [own] = await scoreBids(knex, call, [one]);
  if (!isRankable(rankableOf(own))) {
    const unranked = { ...own, rank: null };
    return { ...unranked, recommendation: recommendations(planBidsOf([unranked]), { bidIds: [] }).get(own.bid.id)! };
  }
  return withGreedyRecommendations(call, await rankCall(knex, call)).find((b) => b.bid.id === one.bid.id);
}

/** Everything the panel and the officer need to see about a call's submitted bids, in rank order. */
export async function appraiseCall(
  knex: Knex,
  call: CallRow,
  /** `timeLimitSeconds` overrides the policy's 5 s (the benchmark gives the solver next to none). */
  options: {
    objective?: PlanObjective;
    timeLimitSeconds?: number;
    /** Where solved plans are kept and found again; a pool, not a read-only transaction. */
    planCache?: Knex;
    /**
     * Only these of each version's fields are kept, besides the priorities and targets the appraisal works from
     * (all but the narratives when not given): for an answer that shows no more.
     */
    fields?: readonly (keyof BidFields)[];
  } = {},
): Promise<CallAppraisal> {
  const bids = await rankCall(
    knex,
    call,
    undefined,
    options.fields && ['outputTargets', 'resultTargets', ...options.fields],
  );
  const decisions = await decisionsFor(
    knex,
    bids.map(({ bid }) => bid.id),
  );
  const decisionBy = new Map(decisions.map((d) => [d.bidId, d]));

  const vfm = new Map(
    valueForMoney(
      bids.map(({ bid, version, fields }) => ({
        bidId: bid.id,
        gatewayPassed: version.gatewayPassed,
        esfPence: version.esfPence,
        totalEligibleCostPence: version.totalEligibleCostPence,
        outputTargets: fields.outputTargets ?? [],
        resultTargets: fields.resultTargets ?? [],
      })),
    ).map((figures) => [figures.bidId, figures]),
  );

  const ranked = planBidsOf(bids);
  const priorities = allocationsOf(call);
  const greedy = greedyPlan(ranked, priorities);
  const solverOptions = {
    ...optimalPlanPolicy(ranked.filter((b) => b.rank !== null).length),
    objective: options.objective ?? 'score',
    ...(options.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: options.timeLimitSeconds }),
  };
  const optimal = options.planCache
    ? await cachedOptimalPlan(options.planCache, call.id, ranked, priorities, solverOptions)
    : await optimalPlan(ranked, priorities, solverOptions);
  const recommendationOf = recommendations(ranked, greedy);

  return {
    bids: bids.map((b) => ({
      ...b,
      valueForMoney: vfm.get(b.bid.id)!,
      recommendation: recommendationOf.get(b.bid.id)!,
      decision: decisionBy.get(b.bid.id),
    })),
    greedy,
    optimal,
    difference: planDifference(greedy, optimal),
  };
}

/**
 * What the officer's appraisal pages show, as plain data: the charts and their tables, the panel's progress,
 * moderation with flagged criteria first, the ranking, both funding plans side by side and the decision form.
 * Pure: no I/O.
 */
import { formatPounds } from '../shared/money.ts';
import { comparisonBarChart, scoreBarChart } from '../web/charts.ts';
import { errorsByField, FormReader, rawValue, type ErrorItem, type FormValues } from '../web/forms.ts';
import type { CriterionText } from './pageModels.ts';
import { DESCRIPTORS } from './pageModels.ts';
import type { FundingPlan, OptimalFundingPlan, PlanDifference, Recommendation } from './plan/types.ts';
import type { AppraisedBid, RecommendedBid, ScoredBid } from './summary.ts';
import type { VfmFigure } from './valueForMoney.ts';

/** Error items without repeats: the schema says "Must not be blank" twice of an empty text (length and pattern). */
export function uniqueErrors(items: ErrorItem[]): ErrorItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.field}\n${item.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Charts

/** ESF requested by submitted bids against each priority's allocation: the chart and the same figures as a table. */
export function esfChartView(rows: { code: string; title: string; allocationPence: number; requestedPence: number }[]) {
  const description =
    rows.length === 0
      ? 'The call has no priorities yet.'
      : rows
          .map(
            (r) =>
              `Priority ${r.code}: ${formatPounds(r.requestedPence)} requested of ${formatPounds(r.allocationPence)} allocated${r.requestedPence > r.allocationPence ? ', over the allocation' : ''}.`,
          )
          .join(' ');
  return {
    svg: comparisonBarChart({
      id: 'esf-chart',
      title: 'ESF requested by submitted bids against each priority’s allocation',
      description,
      valueName: 'ESF requested (submitted bids)',
      limitName: 'Allocation',
      rows: rows.map((r) => ({
        label: `Priority ${r.code}`,
        value: r.requestedPence,
        limit: r.allocationPence,
        valueText: formatPounds(r.requestedPence),
        limitText: formatPounds(r.allocationPence),
      })),
    }),
    rows: rows.map((r) => ({
      ...r,
      over: r.requestedPence > r.allocationPence,
      percent: r.allocationPence > 0 ? Math.round((r.requestedPence * 100) / r.allocationPence) : null,
    })),
  };
}

const RECOMMENDATION_TEXT: Record<Recommendation, string> = {
  recommended: 'Recommended',
  reserve: 'Reserve',
  'not-fundable': 'Not fundable',
};
const RECOMMENDATION_TAG: Record<Recommendation, string> = {
  recommended: 'govuk-tag--green',
  reserve: 'govuk-tag--yellow',
  'not-fundable': 'govuk-tag--grey',
};

/** A recommendation as a GOV.UK tag. */
export function recommendationTag(recommendation: Recommendation) {
  return { text: RECOMMENDATION_TEXT[recommendation], tagClass: RECOMMENDATION_TAG[recommendation] };
}

/** The weighted score of each ranked bid, in rank order; recommended bids drawn solid. */
export function scoreChartView(bids: RecommendedBid[]) {
  const ranked = bids.filter((b) => b.rank !== null && b.weighted !== null);
  const description =
    ranked.length === 0
      ? 'No bid is ranked yet: a bid is ranked once it is fully scored, passed the gateway and meets every minimum score.'
      : ranked
          .map(
            (b) =>
              `Rank ${b.rank}, ${b.bid.reference}: ${b.weighted!.percent}%, ${RECOMMENDATION_TEXT[b.recommendation].toLowerCase()}.`,
          )
          .join(' ');
  return {
    svg: scoreBarChart({
      id: 'score-chart',
      title: 'Weighted score of each ranked bid, out of 100',
      description,
      max: 100,
      emphasisName: 'Recommended in the funding plan',
      otherName: 'Reserve',
      bars: ranked.map((b) => ({
        label: b.bid.reference,
        value: b.weighted!.percent,
        valueText: `${b.weighted!.percent}%`,
        emphasis: b.recommendation === 'recommended',
      })),
    }),
    rows: ranked.map((b) => ({
      rank: b.rank,
      reference: b.bid.reference,
      title: b.fields.title ?? '',
      percent: b.weighted!.percent,
      recommendation: recommendationTag(b.recommendation),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Moderation

/** The bids the panel appraises, those with flagged criteria first, with what moderation they have had. */
export function moderationList(bids: ScoredBid[]) {
  return bids
    .filter((b) => b.gatewayPassed)
    .map((b) => ({
      id: b.bid.id,
      reference: b.bid.reference,
      title: b.fields.title || 'Untitled bid',
      appraisers: b.sheets.length,
      flagged: b.final.filter((f) => f.flagged).length,
      moderated: b.final.filter((f) => f.moderated).length,
      weighted: b.weighted?.percent ?? null,
    }))
    .sort((a, b) => Number(b.flagged > 0) - Number(a.flagged > 0) || a.reference.localeCompare(b.reference));
}

export interface BidScoresView {
  appraisers: {
    label: string;
    submittedAt: string;
    scores: { criterion: string; score: number | null; comment: string | null }[];
  }[];
  moderated: { criterion: string; score: number; rationale: string }[];
  final: { criterion: string; score: number | null; flagged: boolean; moderated: boolean }[];
}

/**
 * Each criterion with every appraiser's score and comment, the final score and its flag, in the order the
 * form shows them: flagged criteria first (appraisers differ by 2 or more), then the rest in the call's order.
 */
export function moderationCriteria(criteria: CriterionText[], scores: BidScoresView) {
  const rows = criteria.map((c) => {
    const final = scores.final.find((f) => f.criterion === c.code);
    const moderated = scores.moderated.find((m) => m.criterion === c.code);
    return {
      code: c.code,
      title: c.title,
      core: c.kind === 'core',
      weight: c.weight,
      minimumScore: c.minimumScore,
      flagged: final?.flagged ?? false,
      final: final?.score ?? null,
      moderated: moderated ? { score: moderated.score, rationale: moderated.rationale } : undefined,
      appraisers: scores.appraisers.map((a) => {
        const entry = a.scores.find((s) => s.criterion === c.code);
        return { label: a.label, score: entry?.score ?? null, comment: entry?.comment ?? '' };
      }),
    };
  });
  return [...rows.filter((r) => r.flagged), ...rows.filter((r) => !r.flagged)];
}

type ModerationRow = ReturnType<typeof moderationCriteria>[number];

/** The moderation form's values: each row's criterion, and its moderated score and rationale if it has one. */
export function moderationValues(rows: ModerationRow[]): FormValues {
  const values: FormValues = {};
  rows.forEach((row, i) => {
    values[`scores-${i}-criterion`] = row.code;
    values[`scores-${i}-score`] = row.moderated ? String(row.moderated.score) : '';
    values[`scores-${i}-rationale`] = row.moderated?.rationale ?? '';
  });
  return values;
}

/** Each row with its inputs: a choice of 0–5 (or none) and the rationale. */
export function moderationForm(rows: ModerationRow[], values: FormValues, errors: ErrorItem[]) {
  const byField = errorsByField(errors);
  return rows.map((row, i) => {
    const chosen = rawValue(values, `scores-${i}-score`);
    return {
      ...row,
      index: i,
      criterionId: `scores-${i}-criterion`,
      score: {
        id: `scores-${i}-score`,
        label: `Moderated score for ${row.title}`,
        error: byField[`scores-${i}-score`],
        options: [
          { value: '', text: 'No moderated score: use the appraisers’ mean', selected: chosen === '' },
          ...DESCRIPTORS.map((words, score) => ({
            value: String(score),
            text: `${score} – ${words}`,
            selected: chosen === String(score),
          })),
        ],
      },
      rationale: {
        id: `scores-${i}-rationale`,
        label: `Rationale for ${row.title}`,
        value: rawValue(values, `scores-${i}-rationale`),
        error: byField[`scores-${i}-rationale`],
      },
    };
  });
}

/**
 * Reads the moderation form into the body of `PUT /bids/:id/moderation`: rows with a score or a rationale,
 * each with its criterion; the rationale is sent even when blank, so the schema's message names it.
 */
export function readModerationForm(values: FormValues) {
  const reader = new FormReader(values);
  const scores = reader.rows('/scores', ['score', 'rationale'], (row) => {
    const raw = reader.text(`${row}/score`);
    let score: number | undefined;
    if (raw !== undefined) {
      if (/^[0-5]$/.test(raw)) score = Number(raw);
      else reader.problems.push({ path: `${row}/score`, message: 'Choose a score from 0 to 5' });
    }
    return {
      criterion: reader.text(`${row}/criterion`) ?? '',
      ...(score === undefined ? {} : { score }),
      rationale: reader.text(`${row}/rationale`) ?? '',
    };
  });
  return { reader, body: { scores } };
}

// ---------------------------------------------------------------------------------------------------------------
// Ranking and funding plans

function vfm(figure: VfmFigure) {
  const words = { below: 'below the median', at: 'at the median', above: 'above the median' };
  return {
    pence: figure.pence,
    median: figure.medianPence,
    versus: figure.versusMedian ? words[figure.versusMedian] : '',
  };
}

/** Where a bid stands, as the decision page shows it: gateway, score, thresholds, rank, ESF and recommendation. */
export function standingLine(b: RecommendedBid, failedTitles: (code: string) => string) {
  return {
    rank: b.rank,
    gatewayPassed: b.gatewayPassed,
    weighted: b.weighted?.percent ?? null,
    meetsThresholds: b.thresholds.meets,
    below: b.thresholds.failed.map((f) => failedTitles(f.criterion)).join(', '),
    esfPence: b.version.esfPence,
    recommendation: recommendationTag(b.recommendation),
  };
}

/** A line of the ranking table. */
export function rankingRow(b: AppraisedBid, failedTitles: (code: string) => string) {
  return {
    ...standingLine(b, failedTitles),
    id: b.bid.id,
    reference: b.bid.reference,
    title: b.fields.title || 'Untitled bid',
    lead: b.fields.partners?.find((p) => p.role === 'lead')?.name ?? '',
    appraisers: b.sheets.length,
    participants: b.version.participants,
    esfPerParticipant: vfm(b.valueForMoney.esfPerParticipant),
    decision: b.decision?.decision,
  };
}

function planView(
  plan: FundingPlan,
  referenceOf: Map<string, { reference: string; title: string }>,
  other: Set<string>,
) {
  return {
    bids: plan.bidIds.map((id) => ({ ...referenceOf.get(id)!, onlyHere: !other.has(id) })),
    totalWeightedScore: plan.totalWeightedScore,
    totalParticipants: plan.totalParticipants,
    fundedPence: plan.priorities.reduce((sum, p) => sum + p.fundedPence, 0),
    priorities: plan.priorities,
  };
}

/** The greedy and the optimal plan side by side, and where they differ. */
export function plansView(
  bids: AppraisedBid[],
  greedy: FundingPlan,
  optimal: OptimalFundingPlan,
  difference: PlanDifference,
) {
  const referenceOf = new Map(
    bids.map((b) => [b.bid.id, { reference: b.bid.reference, title: b.fields.title || 'Untitled bid' }]),
  );
  const refs = (ids: string[]) => ids.map((id) => referenceOf.get(id)!);
  return {
    greedy: planView(greedy, referenceOf, new Set(optimal.bidIds)),
    optimal: {
      ...planView(optimal, referenceOf, new Set(greedy.bidIds)),
      objective: optimal.objective === 'participants' ? 'the most participants' : 'the highest total weighted score',
      provenOptimal: optimal.provenOptimal,
      gapPercent: optimal.gapPercent,
    },
    difference: {
      same: difference.onlyInGreedy.length === 0 && difference.onlyInOptimal.length === 0,
      onlyInGreedy: refs(difference.onlyInGreedy),
      onlyInOptimal: refs(difference.onlyInOptimal),
      scoreGain: difference.scoreGain,
      participantsGain: difference.participantsGain,
      unspentPenceGreedy: difference.unspentPenceGreedy,
      unspentPenceOptimal: difference.unspentPenceOptimal,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Decisions

const DECISIONS = [
  { value: 'approved', text: 'Approved' },
  { value: 'approved_with_conditions', text: 'Approved with conditions' },
  { value: 'rejected', text: 'Rejected' },
];

/** Reads the decision form into the body of `POST /bids/:id/decision`: conditions or reason only where they belong. */
export function readDecisionForm(values: FormValues) {
  const reader = new FormReader(values);
  const decision = reader.text('/decision');
  const body: Record<string, string> = {};
  if (decision !== undefined) body.decision = decision;
  if (decision === 'approved_with_conditions') body.conditions = reader.text('/conditions') ?? '';
  if (decision === 'rejected') body.reason = reader.text('/reason') ?? '';
  return { reader, body };
}

/** The decision form: radios for the three decisions, with the conditions and the reason beside theirs. */
export function decisionForm(values: FormValues, errors: ErrorItem[]) {
  const byField = errorsByField(errors);
  const chosen = rawValue(values, 'decision');
  return {
    error: byField.decision,
    options: DECISIONS.map((d, i) => ({
      ...d,
      id: i === 0 ? 'decision' : `decision-${i + 1}`,
      checked: chosen === d.value,
    })),
    conditions: { id: 'conditions', value: rawValue(values, 'conditions'), error: byField.conditions },
    reason: { id: 'reason', value: rawValue(values, 'reason'), error: byField.reason },
  };
}

/**
 * The gateway: the eight checks a bid meets on submission (DESIGN.md, "Gateway"), as pure functions.
 * Each check says what it found and what was needed, in pounds; money is compared in whole pence only.
 */
import { formatPounds } from '../shared/money.ts';
import { formatLondonInstant } from '../shared/londonFormat.ts';
import type { Call, Finding, Indicator } from '../calls/types.ts';
import { euFundNamed } from './euFunds.ts';
import type { BidFields, GatewayCheck, Target } from './types.ts';

/** The parts of a call the gateway reads. */
export type GatewayCall = Pick<
  Call,
  'closesAt' | 'minProjectEsfPence' | 'interventionRatePercent' | 'priorities' | 'gapCriteria'
>;

/** What the gateway judges: the call's rules, the bid as submitted, when it arrived, and the indicator catalogue. */
export interface GatewayInput {
  call: GatewayCall;
  bid: BidFields;
  submittedAt: Date;
  indicators: Indicator[];
}

/** The gateway's verdict: passed only when every check passed; flags never fail a bid. */
export interface GatewayResult {
  passed: boolean;
  checks: GatewayCheck[];
  flags: Finding[];
}

/** The participant total every bid must target; always allowed, whatever the priorities list. */
const TOTAL = 'P-TOTAL';

/** Runs the eight gateway checks in DESIGN.md order and flags what is risky but not a failure. */
export function runGateway({ call, bid, submittedAt, indicators }: GatewayInput): GatewayResult {
  const checks = [
    checkDeadline(call, submittedAt),
    checkFloor(call, bid),
    checkAllocation(call, bid),
    checkIntervention(call, bid),
    checkMatch(bid),
    checkPartnership(bid),
    checkIndicators(call, bid, indicators),
    checkGap(call, bid),
  ];
  return {
    passed: checks.every((check) => check.passed),
    checks,
    flags: [...gatewayFlags(bid), ...partnerMatchFlags(bid)],
  };
}

/** The bid's ESF: the sum of its priorities' ESF, in pence. */
export function bidEsfPence(bid: BidFields): number {
  return sum((bid.priorities ?? []).map((priority) => priority.esfPence));
}

/** The bid's declared match funding, secured and pending, in pence. */
export function declaredMatchPence(bid: BidFields): number {
  return sum((bid.matchFunding ?? []).map((line) => line.amountPence));
}

/** `part` as a percentage of `whole`, rounded half-up to 2 decimals with integer arithmetic: (1, 3) → "33.33%". */
export function sharePercent(part: number, whole: number): string {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || whole <= 0) {
    throw new RangeError(`A share needs whole numbers and a positive whole, got ${part} of ${whole}`);
  }
  const sign = part < 0 ? '-' : '';
  const wholeBig = BigInt(whole);
  // Hundredths of a percent, rounded half-up: floor((part × 10000 + whole / 2) / whole), kept in integers.
  const hundredths = (BigInt(Math.abs(part)) * 20000n + wholeBig) / (2n * wholeBig);
  return `${sign}${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}%`;
}

// GW-DEADLINE: submitted at or before closesAt.
function checkDeadline(call: GatewayCall, submittedAt: Date): GatewayCheck {
  const passed = submittedAt.getTime() <= call.closesAt.getTime();
  // To the second, unless two different instants fall in the same second: then the milliseconds say which came first.
  const [at, deadline] = [submittedAt.getTime(), call.closesAt.getTime()];
  const toTheMillisecond = at !== deadline && Math.floor(at / 1000) === Math.floor(deadline / 1000);
  const format = (instant: Date) => formatLondonInstant(instant, { milliseconds: toTheMillisecond });
  const when = `Submitted ${format(submittedAt)}`;
  return {
    code: 'GW-DEADLINE',
    passed,
    message: passed
      ? `${when}, by the call's deadline of ${format(call.closesAt)}`
      : `${when}, after the call closed at ${format(call.closesAt)}`,
  };
}

// GW-FLOOR: bid ESF (sum of its priorities' ESF) ≥ the call's floor.
function checkFloor(call: GatewayCall, bid: BidFields): GatewayCheck {
  const esf = bidEsfPence(bid);
  const floor = call.minProjectEsfPence;
  const passed = esf >= floor;
  return {
    code: 'GW-FLOOR',
    passed,
    message:
      `ESF requested ${formatPounds(esf)} ${passed ? 'meets' : 'is below'} the call's ` +
      `${formatPounds(floor)} floor`,
  };
}

// GW-ALLOCATION: each priority's ESF ≤ that priority's allocation (and each is one of the call's priorities).
function checkAllocation(call: GatewayCall, bid: BidFields): GatewayCheck {
  const callCodes = call.priorities.map((priority) => priority.code).join(', ');
  const asked = new Map<string, number>();
  for (const { code, esfPence } of bid.priorities ?? []) asked.set(code, (asked.get(code) ?? 0) + esfPence);
  if (asked.size === 0) {
    return fail('GW-ALLOCATION', `The bid names no priority; it needs at least one of the call's (${callCodes})`);
  }

  const problems: string[] = [];
  const within: string[] = [];
  for (const [code, esf] of asked) {
    const priority = call.priorities.find((candidate) => candidate.code === code);
    if (!priority) {
      problems.push(`Priority ${code} is not one of the call's priorities (${callCodes})`);
    } else if (esf > priority.allocationPence) {
      problems.push(
        `Priority ${code} asks for ${formatPounds(esf)} ESF, above its ${formatPounds(priority.allocationPence)} ` +
          `allocation`,
      );
    } else {
      within.push(`${code} ${formatPounds(esf)} of ${formatPounds(priority.allocationPence)}`);
    }
  }
  return problems.length > 0
    ? fail('GW-ALLOCATION', problems.join('; '))
    : pass('GW-ALLOCATION', `Each priority's ESF is within its allocation: ${within.join('; ')}`);
}

// GW-INTERVENTION: ESF × 100 ≤ interventionRatePercent × totalEligibleCost.
function checkIntervention(call: GatewayCall, bid: BidFields): GatewayCheck {
  const esf = bidEsfPence(bid);
  const rate = call.interventionRatePercent;
  const total = bid.totalEligibleCostPence;
  if (total === undefined || total <= 0) {
    const why =
      total === undefined
        ? 'the bid gives no total eligible cost'
        : `its total eligible cost is ${formatPounds(total)}`;
    return fail(
      'GW-INTERVENTION',
      `ESF requested ${formatPounds(esf)} cannot be checked against the call's ${rate}% intervention rate: ${why}`,
    );
  }
  const passed = esf * 100 <= rate * total;
  const allowed = `at most ${formatPounds(maxEsfPence(rate, total))} of the total eligible cost ${formatPounds(total)}`;
  return {
    code: 'GW-INTERVENTION',
    passed,
    message: passed
      ? `ESF requested ${formatPounds(esf)} is within the call's ${rate}% intervention rate: ${allowed}`
      : `ESF requested ${formatPounds(esf)} is above the call's ${rate}% intervention rate: ${allowed}`,
  };
}

// GW-MATCH: declared match funding + ESF = totalEligibleCost (every non-ESF pound is declared), and no match line
// from an EU fund (DESIGN.md, Bid: "Match must come from outside EU funds").
function checkMatch(bid: BidFields): GatewayCheck {
  const esf = bidEsfPence(bid);
  const match = declaredMatchPence(bid);
  const funded = esf + match;
  const found = `Declared match ${formatPounds(match)} plus ESF ${formatPounds(esf)} makes ${formatPounds(funded)}`;
  const fromEu = euFundedLines(bid);
  const total = bid.totalEligibleCostPence;
  if (total === undefined) return fail('GW-MATCH', `${found}, but the bid gives no total eligible cost${fromEu}`);
  if (funded === total) {
    const sums = `${found}, equal to the total eligible cost ${formatPounds(total)}`;
    return fromEu ? fail('GW-MATCH', `${sums}${fromEu}`) : pass('GW-MATCH', sums);
  }
  const gap = Math.abs(total - funded);
  return fail(
    'GW-MATCH',
    `${found}, ${funded < total ? 'short of' : 'more than'} the total eligible cost ${formatPounds(total)} ` +
      `by ${formatPounds(gap)}${fromEu}`,
  );
}

/** "; but match must come from outside EU funds: line 2 (ERDF grant, £100.00) is the European …", or "". */
function euFundedLines(bid: BidFields): string {
  const lines = (bid.matchFunding ?? []).flatMap((line, index) => {
    const fund = euFundNamed(line.funder);
    if (!fund) return [];
    const named = fund.name.toLowerCase() === line.funder.trim().toLowerCase() ? '' : ` is the ${fund.name}`;
    return [`line ${index + 1} (${line.funder}, ${formatPounds(line.amountPence)})${named}`];
  });
  return lines.length === 0 ? '' : `; but match must come from outside EU funds: ${lines.join('; ')}`;
}

// GW-PARTNERSHIP: exactly one lead; partners' ESF adds up to the bid's ESF and their match to the declared match.
function checkPartnership(bid: BidFields): GatewayCheck {
  const partners = bid.partners ?? [];
  const leads = partners.filter((partner) => partner.role === 'lead');
  const partnerEsf = sum(partners.map((partner) => partner.esfPence));
  const partnerMatch = sum(partners.map((partner) => partner.matchPence));
  const esf = bidEsfPence(bid);
  const match = declaredMatchPence(bid);

  const problems: string[] = [];
  if (leads.length === 0) {
    problems.push(
      partners.length === 0
        ? 'No partners given, where exactly one lead is needed'
        : 'No lead partner, where exactly one is needed',
    );
  } else if (leads.length > 1) {
    const names = leads.map((lead) => lead.name).join(', ');
    problems.push(`${leads.length} lead partners (${names}), where exactly one is needed`);
  }
  if (partnerEsf !== esf) {
    problems.push(`partners' ESF adds up to ${formatPounds(partnerEsf)}, not the bid's ESF ${formatPounds(esf)}`);
  }
  if (partnerMatch !== match) {
    problems.push(
      `partners' match adds up to ${formatPounds(partnerMatch)}, not the declared match ${formatPounds(match)}`,
    );
  }
  return problems.length > 0
    ? fail('GW-PARTNERSHIP', capitalise(problems.join('; ')))
    : pass(
        'GW-PARTNERSHIP',
        `One lead partner (${leads[0].name}); partners' ESF ${formatPounds(partnerEsf)} equals the bid's ESF ` +
          `and their match ${formatPounds(partnerMatch)} equals the declared match`,
      );
}

// GW-INDICATORS: every target is an indicator of one of the bid's priorities; P-TOTAL is present;
// no target exceeds its base cohort (and none exceeds P-TOTAL).
function checkIndicators(call: GatewayCall, bid: BidFields, indicators: Indicator[]): GatewayCheck {
  const outputs = bid.outputTargets ?? [];
  const results = bid.resultTargets ?? [];
  const all = [...outputs, ...results];
  const bidCodes = new Set((bid.priorities ?? []).map((priority) => priority.code));
  const chosen = call.priorities.filter((priority) => bidCodes.has(priority.code));
  const chosenCodes = chosen.map((priority) => priority.code).join(', ') || 'none';
  const participantAllowed = new Set([TOTAL, ...chosen.flatMap((priority) => priority.participantIndicators)]);
  const resultAllowed = new Set(chosen.flatMap((priority) => priority.resultIndicators));
  const catalogue = new Map(indicators.map((indicator) => [indicator.code, indicator]));

  const problems: string[] = [];
  for (const { indicator } of all) {
    if (!catalogue.has(indicator)) problems.push(`${indicator} is not an indicator in the catalogue`);
  }
  for (const { indicator } of outputs) {
    if (catalogue.has(indicator) && !participantAllowed.has(indicator)) {
      problems.push(`${indicator} is not a participant indicator of the bid's priorities (${chosenCodes})`);
    }
  }
  for (const { indicator } of results) {
    if (catalogue.has(indicator) && !resultAllowed.has(indicator)) {
      problems.push(`${indicator} is not a result indicator of the bid's priorities (${chosenCodes})`);
    }
  }
  for (const code of duplicates(all.map((target) => target.indicator))) {
    problems.push(`${code} has more than one target`);
  }
  for (const { indicator, target } of all) {
    if (!isWholeCount(target)) problems.push(`${indicator} target ${target} is not a whole number of participants`);
  }

  const targetOf = new Map<string, number>();
  for (const { indicator, target } of all) {
    if (isWholeCount(target) && !targetOf.has(indicator)) targetOf.set(indicator, target);
  }
  const hasTotal = outputs.some((target) => target.indicator === TOTAL);
  const total = hasTotal ? targetOf.get(TOTAL) : undefined;
  if (!hasTotal) {
    problems.push(`No ${TOTAL} (total participants) output target; every bid needs one`);
  }
  for (const target of all) {
    const exceeded = exceededCohort(target, catalogue, targetOf, total);
    if (exceeded) {
      problems.push(
        `${target.indicator} target ${target.target} exceeds its cohort ${exceeded.code} target ${exceeded.target}`,
      );
    }
  }

  return problems.length > 0
    ? fail('GW-INDICATORS', problems.join('; '))
    : pass(
        'GW-INDICATORS',
        `${all.length} ${all.length === 1 ? 'target' : 'targets'}, all indicators of the bid's priorities ` +
          `(${chosenCodes}), with ${TOTAL} ${total}; none exceeds its cohort`,
      );
}

// GW-GAP: the bid claims at least one of the call's gap criteria.
function checkGap(call: GatewayCall, bid: BidFields): GatewayCheck {
  const callCodes = call.gapCriteria.map((criterion) => criterion.code);
  const claimed = unique((bid.gapClaims ?? []).map((claim) => claim.gapCode));
  const known = claimed.filter((code) => callCodes.includes(code));
  const unknown = claimed.filter((code) => !callCodes.includes(code));
  const unknownNote =
    unknown.length > 0
      ? `; ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the call's gap criteria`
      : '';
  const criteria = known.length === 1 ? 'criterion' : 'criteria';
  return known.length > 0
    ? pass('GW-GAP', `Claims the call's gap ${criteria} ${known.join(', ')}${unknownNote}`)
    : fail('GW-GAP', `Claims none of the call's gap criteria (${callCodes.join(', ')})${unknownNote}`);
}

/** Risky but not failing: pending match funding, with its share of the declared match. */
function gatewayFlags(bid: BidFields): Finding[] {
  const pendingLines = (bid.matchFunding ?? []).filter((line) => line.status === 'pending');
  const pending = sum(pendingLines.map((line) => line.amountPence));
  const declared = declaredMatchPence(bid);
  if (pending <= 0 || declared <= 0) return [];
  return [
    {
      code: 'GW-MATCH-PENDING',
      message:
        `${formatPounds(pending)} of match funding is pending (${sharePercent(pending, declared)} of ` +
        `declared match)`,
    },
  ];
}

/**
 * Risky but not failing: a partner whose declared match lines do not add up to its share of the match. Judged only
 * when some line names the partner that declares it: in a bid whose lines name none (every bid before partners
 * declared their own), all the lines are the lead's by default, which says nothing of the partners' shares.
 */
function partnerMatchFlags(bid: BidFields): Finding[] {
  const lines = bid.matchFunding ?? [];
  if (!lines.some((line) => line.partnerId !== undefined)) return [];
  const leadId = (bid.partners ?? []).find((partner) => partner.role === 'lead')?.id;
  return (bid.partners ?? []).flatMap((partner) => {
    const declared = sum(
      lines.filter((line) => (line.partnerId ?? leadId) === partner.id).map((line) => line.amountPence),
    );
    if (partner.id === undefined || declared === partner.matchPence) return [];
    return [
      {
        code: 'GW-PARTNER-MATCH',
        message:
          `${partner.name}'s match-funding lines come to ${formatPounds(declared)}, but its share of the match is ` +
          `${formatPounds(partner.matchPence)}`,
      },
    ];
  });
}

/** The first cohort a target exceeds: its base cohort's target (P-TOTAL's when the base has none), then P-TOTAL's. */
function exceededCohort(
  { indicator, target }: Target,
  catalogue: Map<string, Indicator>,
  targetOf: Map<string, number>,
  total: number | undefined,
): { code: string; target: number } | null {
  if (indicator === TOTAL || !isWholeCount(target)) return null;
  const base = catalogue.get(indicator)?.baseCohort;
  const baseTarget = base ? targetOf.get(base) : undefined;
  if (base && baseTarget !== undefined && target > baseTarget) return { code: base, target: baseTarget };
  if (total !== undefined && target > total) return { code: TOTAL, target: total };
  return null;
}

/** The most ESF a rate allows, floored to whole pence; for messages only (checks compare products). */
function maxEsfPence(ratePercent: number, totalPence: number): number {
  const product = ratePercent * totalPence;
  return Math.floor((product - (product % 100)) / 100);
}

function isWholeCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function duplicates(values: string[]): string[] {
  return unique(values.filter((value, index) => values.indexOf(value) !== index));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function pass(code: string, message: string): GatewayCheck {
  return { code, passed: true, message };
}

function fail(code: string, message: string): GatewayCheck {
  return { code, passed: false, message };
}

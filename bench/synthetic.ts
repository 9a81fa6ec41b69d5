/**
 * Synthetic national-scale data: a call with three large priorities and twelve criteria, and bids of realistic
 * shape (10 partners, 6 match lines, 12 targets, narrative text) designed so every one passes the gateway.
 * Deterministic: the same seed gives the same call and bids.
 */
import type { BidFields, MatchLine, Partner, Target } from '../server/bids/types.ts';
import type { CallFields } from '../server/calls/types.ts';
import { d2n2HealthAndWellbeingCall } from '../server/demo/d2n2.ts';

const POUND = 100;

/** A small seeded PRNG (mulberry32): benchmarks must build the same data every run. */
export function randomSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

const AREAS = [
  'Derby',
  'Derbyshire',
  'Nottingham',
  'Nottinghamshire',
  'Leicester',
  'Leicestershire',
  'Birmingham',
  'Coventry',
  'Manchester',
  'Salford',
  'Liverpool',
  'Sefton',
  'Leeds',
  'Bradford',
  'Sheffield',
  'Rotherham',
  'Newcastle upon Tyne',
  'Gateshead',
  'Bristol',
  'Plymouth',
  'Cornwall',
  'Norfolk',
  'Suffolk',
  'Kent',
  'Lancashire',
  'Cumbria',
];

/**
 * The national call: D2N2's priorities, indicators and criteria with national allocations (£400m, £350m, £150m:
 * about a third of what 2,000 bids ask for, so the funding plan has real choices), and two more gap criteria,
 * which makes 12 scored criteria.
 */
export function nationalCallBody(opensAt: Date, closesAt: Date, reference: string): CallFields {
  const base = d2n2HealthAndWellbeingCall(opensAt, closesAt, reference);
  const allocations: Record<string, number> = {
    '1.1': 400_000_000 * POUND,
    '1.4': 350_000_000 * POUND,
    '2.1': 150_000_000 * POUND,
  };
  return {
    ...base,
    title: 'National Health and Wellbeing (synthetic benchmark call)',
    lepArea: 'England',
    geography: AREAS,
    priorities: base.priorities.map((p) => ({ ...p, allocationPence: allocations[p.code] })),
    gapCriteria: [
      ...base.gapCriteria,
      {
        code: 'GAP-RURAL',
        title: 'Reaches rural and coastal communities',
        guidance: 'Provision where travel to services is hard.',
        weight: 1,
      },
      {
        code: 'GAP-DIGITAL',
        title: 'Closes the digital divide',
        guidance: 'Digital inclusion as a route into work.',
        weight: 1,
      },
    ],
  };
}

/** The codes of the criteria appraisers score on the national call, in the call's order (core, then gap). */
export function scoredCriteria(call: CallFields): string[] {
  return [...call.appraisalCriteria.map((c) => c.code), ...call.gapCriteria.map((c) => c.code)];
}

const PRIORITY_SETS: string[][] = [
  ['1.1'],
  ['1.4'],
  ['1.1', '1.4'],
  ['1.1', '2.1'],
  ['1.4', '2.1'],
  ['1.1', '1.4', '2.1'],
];
const PARTNER_TYPES: Partner['type'][] = ['vcs', 'education', 'public', 'health', 'private'];
const SENTENCE =
  'The partnership works with people furthest from the labour market, joining health, employment and skills support so that nobody falls between services. ';

/** Splits `total` pence into `parts` positive whole-pound shares that add up exactly (remainder on the first). */
function split(random: () => number, total: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => 1 + random());
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((w) => Math.floor(((total / POUND) * w) / sum) * POUND);
  shares[0] += total - shares.reduce((a, b) => a + b, 0);
  return shares;
}

function targetsFor(
  random: () => number,
  call: CallFields,
  codes: string[],
): { outputTargets: Target[]; resultTargets: Target[] } {
  const chosen = call.priorities.filter((p) => codes.includes(p.code));
  const participantCodes = [...new Set(['P-TOTAL', ...chosen.flatMap((p) => p.participantIndicators)])];
  const resultCodes = [...new Set(chosen.flatMap((p) => p.resultIndicators))];
  const results = Math.min(5, resultCodes.length);
  const outputs = 12 - results;
  if (participantCodes.length < outputs) throw new Error(`Priorities ${codes.join('+')} cannot carry 12 targets`);
  const total = between(random, 300, 3000);
  // Groups are at least a fifth of the total and results at most a tenth, so no target exceeds its cohort.
  const outputTargets = participantCodes.slice(0, outputs).map((indicator) => ({
    indicator,
    target: indicator === 'P-TOTAL' ? total : Math.floor(total * (0.2 + random() * 0.3)),
  }));
  const resultTargets = resultCodes
    .slice(0, results)
    .map((indicator) => ({ indicator, target: Math.floor(total * (0.02 + random() * 0.08)) }));
  return { outputTargets, resultTargets };
}

/**
 * A complete bid that passes every gateway check of the national call: ESF £500,000–£2,500,000 across one to
 * three priorities (always 1.1 or 1.4, whose indicators allow 12 targets), total cost exactly twice the ESF
 * (the 50% rate), match funding equal to the ESF in 6 lines (one pending), 10 partners whose shares add up.
 */
export function nationalBidBody(random: () => number, call: CallFields, n: number): BidFields {
  const codes = pick(random, PRIORITY_SETS);
  const esf = between(random, 500_000, 2_500_000) * POUND;
  const priorities = split(random, esf, codes.length).map((esfPence, i) => ({ code: codes[i], esfPence }));
  const match = esf;
  const matchShares = split(random, match, 6);
  const matchFunding: MatchLine[] = matchShares.map((amountPence, i) => ({
    funder:
      i === 5 ? 'Volunteer time' : `${pick(random, AREAS)} ${i % 2 === 0 ? 'Council' : 'Clinical Commissioning Group'}`,
    sector: i === 5 ? 'private' : 'public',
    kind: i === 5 ? 'in_kind' : 'cash',
    amountPence,
    status: i === 5 ? 'pending' : 'secured',
  }));
  const partnerEsf = split(random, esf, 10);
  const partnerMatch = split(random, match, 10);
  const partners: Partner[] = partnerEsf.map((esfPence, i) => ({
    name: i === 0 ? `Consortium lead ${n}` : `Delivery partner ${n}-${i}`,
    type: i === 0 ? 'vcs' : pick(random, PARTNER_TYPES),
    role: i === 0 ? 'lead' : 'delivery',
    ...(i % 3 === 0
      ? { charityNumber: String(1100000 + ((n * 10 + i) % 899999)) }
      : { companyNumber: String(10000000 + n * 10 + i).slice(0, 8) }),
    esfPence,
    matchPence: partnerMatch[i],
  }));
  const areas = [...new Set([pick(random, AREAS), pick(random, AREAS), pick(random, AREAS)])];
  const call12 = call.gapCriteria.map((c) => c.code);
  const gapClaims = [...new Set([call12[n % call12.length], pick(random, call12)])].map((gapCode) => ({
    gapCode,
    narrative: `How bid ${n} fills ${gapCode}: ${SENTENCE}`,
  }));
  return {
    title: `Working Well Together ${n}`,
    summary: `A partnership of ten organisations across ${areas.join(', ')} supporting people into and on in work.`,
    startDate: '2027-04-01',
    endDate: '2029-09-30',
    geography: areas,
    narrative: {
      need: SENTENCE.repeat(4),
      activities: SENTENCE.repeat(3),
      delivery: SENTENCE.repeat(3),
      management: SENTENCE.repeat(2),
      crossCuttingThemes: SENTENCE.repeat(2),
    },
    partners,
    priorities,
    totalEligibleCostPence: esf + match,
    matchFunding,
    ...targetsFor(random, call, codes),
    gapClaims,
  };
}

/**
 * One appraiser's sheet for a bid: each bid has an underlying quality, each appraiser scores around it
 * (sometimes 2 apart, so moderation flags appear), with a comment on every score as a panel would write.
 */
export function scoreSheet(random: () => number, criteria: string[], quality: number, appraiser: number) {
  return {
    submit: true,
    scores: criteria.map((criterion) => {
      const score = Math.max(1, Math.min(5, Math.round(quality + (random() - 0.5) * 2.2)));
      return {
        criterion,
        score,
        comment: `Appraiser ${appraiser + 1} on ${criterion}: ${score <= 2 ? 'weak evidence; the bid does not show how' : 'the bid shows clearly how'} it meets the criterion.`,
      };
    }),
  };
}

/** Small builders for request bodies, based on the worked example so every test starts from a call that works. */
import type { BidFields } from '../../server/bids/types.ts';
import type { CallFields } from '../../server/calls/types.ts';
import { d2n2HealthAndWellbeingCall } from '../../server/demo/d2n2.ts';

/** The D2N2 call's criteria in the order a panel scores them: its core criteria, then its gap criteria. */
export const CRITERIA = [
  'SF',
  'VFM',
  'MC',
  'DEL',
  'CCT',
  'GAP-NEED',
  'GAP-SYSTEM',
  'GAP-GROUPS',
  'GAP-SUSTAIN',
  'GAP-FUTURE',
];

let sequence = 0;
const DAY = 24 * 3600 * 1000;

/** A call body that can be published: D2N2's, opened yesterday, closing in 30 days, with a fresh reference. */
export function aCallBody(overrides: Partial<CallFields> = {}): CallFields {
  sequence += 1;
  const now = Date.now();
  const base = d2n2HealthAndWellbeingCall(
    new Date(now - DAY),
    new Date(now + 30 * DAY),
    `OC08S17P${String(1000 + sequence).padStart(4, '0')}`,
  );
  return { ...base, ...overrides };
}

/**
 * A complete bid body for the D2N2 call that passes every gateway check: £600,000 ESF across 1.1 and 2.1,
 * £1,200,000 total eligible cost at exactly the 50% rate, £600,000 declared match (£200,000 of it pending).
 */
export function aBidBody(overrides: Partial<BidFields> = {}): BidFields {
  return {
    title: 'Working Well Together',
    summary: 'A partnership of VCS, college and council support into and on in work.',
    startDate: '2027-04-01',
    endDate: '2029-09-30',
    geography: ['Derby'],
    narrative: {
      need: 'People with common mental health conditions fall between services.',
      activities: 'Key workers, employer brokerage, in-work support.',
      delivery: 'Delivered by the lead and a college across Derby.',
      management: 'A partnership board with a contract manager and monthly claims.',
      crossCuttingThemes: 'Equality impact assessment; low-carbon delivery.',
    },
    partners: [
      {
        name: 'Derby Community Partnership',
        type: 'vcs',
        role: 'lead',
        charityNumber: '1164883',
        esfPence: 40_000_000,
        matchPence: 30_000_000,
      },
      {
        name: 'Derby College',
        type: 'education',
        role: 'delivery',
        companyNumber: '01234567',
        esfPence: 20_000_000,
        matchPence: 30_000_000,
      },
    ],
    priorities: [
      { code: '1.1', esfPence: 45_000_000 },
      { code: '2.1', esfPence: 15_000_000 },
    ],
    totalEligibleCostPence: 120_000_000,
    matchFunding: [
      { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 40_000_000, status: 'secured' },
      { funder: 'Volunteer time', sector: 'private', kind: 'in_kind', amountPence: 20_000_000, status: 'pending' },
    ],
    outputTargets: [
      { indicator: 'P-TOTAL', target: 600 },
      { indicator: 'P-UNEMP', target: 250 },
    ],
    resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 90 }],
    gapClaims: [{ gapCode: 'GAP-NEED', narrative: 'No service joins talking therapies with employment support here.' }],
    ...overrides,
  };
}

/**
 * A bid's fields without what the server sets on its partners (id, organisation, completion) and on its lines (the
 * partner that declares them): for comparing what a bid says with the body it was written from.
 */
export function withoutIdentities<T extends Record<string, unknown>>(fields: T): T {
  const copy: Record<string, unknown> = { ...fields };
  if (Array.isArray(copy.partners))
    copy.partners = (copy.partners as Record<string, unknown>[]).map(
      ({ id: _id, organisationId: _organisation, completedAt: _completed, ...partner }) => partner,
    );
  if (Array.isArray(copy.matchFunding))
    copy.matchFunding = (copy.matchFunding as Record<string, unknown>[]).map(({ partnerId: _p, ...line }) => line);
  return copy as T;
}

import { expect } from 'chai';
import { runGateway, sharePercent, type GatewayCall, type GatewayResult } from '../../../server/bids/gateway.ts';
import type { BidFields, GatewayCheck } from '../../../server/bids/types.ts';
import { INDICATORS } from './indicators.fixture.ts';
import { d2n2HealthAndWellbeingCall } from '../../../server/demo/d2n2.ts';
import { aBidBody } from '../../support/builders.ts';

/** The D2N2 call: 1.1 and 1.4 at £800,000, 2.1 at £400,000, a £500,000 floor and a 50% intervention rate. */
export function aGatewayCall(overrides: Partial<GatewayCall> = {}): GatewayCall {
  const closesAt = new Date('2027-02-06T23:59:59Z');
  const call = d2n2HealthAndWellbeingCall(new Date('2026-12-01T00:00:00Z'), closesAt);
  return { ...call, closesAt, ...overrides };
}

/**
 * A complete bid that passes every gateway check: £600,000 ESF (1.1 £450,000, 2.1 £150,000), exactly 50% of
 * £1,200,000 total eligible cost, £600,000 declared match of which £200,000 is pending.
 */
export const aPassingBid = aBidBody;

const CLOSES_AT = new Date('2027-02-06T23:59:59Z');

function gateway(bid: BidFields, options: { call?: GatewayCall; submittedAt?: Date } = {}): GatewayResult {
  return runGateway({
    call: options.call ?? aGatewayCall(),
    bid,
    submittedAt: options.submittedAt ?? new Date('2027-02-01T12:00:00Z'),
    indicators: INDICATORS,
  });
}

function check(bid: BidFields, code: string, options: { call?: GatewayCall; submittedAt?: Date } = {}): GatewayCheck {
  const found = gateway(bid, options).checks.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no ${code} check`);
  return found;
}

describe('gateway', () => {
  describe('a complete, consistent bid', () => {
    it('passes all eight checks, in the order of the DESIGN table', () => {
      const result = gateway(aPassingBid());

      expect(result.checks.map((c) => c.code)).to.deep.equal([
        'GW-DEADLINE',
        'GW-FLOOR',
        'GW-ALLOCATION',
        'GW-INTERVENTION',
        'GW-MATCH',
        'GW-PARTNERSHIP',
        'GW-INDICATORS',
        'GW-GAP',
      ]);
      expect(result.checks.filter((c) => !c.passed)).to.deep.equal([]);
      expect(result.passed).to.equal(true);
    });

    it('fails overall when any one check fails', () => {
      const result = gateway(aPassingBid({ gapClaims: [] }));

      expect(result.passed).to.equal(false);
      expect(result.checks.filter((c) => !c.passed).map((c) => c.code)).to.deep.equal(['GW-GAP']);
    });
  });

  describe('GW-DEADLINE', () => {
    it('passes a submission made exactly at closesAt', () => {
      const result = check(aPassingBid(), 'GW-DEADLINE', { submittedAt: new Date(CLOSES_AT) });

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "Submitted 6 February 2027 at 23:59:59 GMT, by the call's deadline of 6 February 2027 at 23:59:59 GMT",
      );
    });

    it('fails a submission made one second after closesAt', () => {
      const result = check(aPassingBid(), 'GW-DEADLINE', { submittedAt: new Date(CLOSES_AT.getTime() + 1000) });

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Submitted 7 February 2027 at 00:00:00 GMT, after the call closed at 6 February 2027 at 23:59:59 GMT',
      );
    });

    it('fails a submission made one millisecond after closesAt, and shows both to the millisecond', () => {
      const result = check(aPassingBid(), 'GW-DEADLINE', { submittedAt: new Date(CLOSES_AT.getTime() + 1) });

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Submitted 6 February 2027 at 23:59:59.001 GMT, after the call closed at 6 February 2027 at 23:59:59.000 GMT',
      );
    });

    it('shows whole seconds when the submission and the deadline fall in different seconds', () => {
      const result = check(aPassingBid(), 'GW-DEADLINE', {
        submittedAt: new Date(CLOSES_AT.getTime() - 600_000 + 612),
      });

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "Submitted 6 February 2027 at 23:49:59 GMT, by the call's deadline of 6 February 2027 at 23:59:59 GMT",
      );
    });

    it('shows summer deadlines in British Summer Time', () => {
      const call = aGatewayCall({ closesAt: new Date('2027-07-06T22:59:59Z') });

      const result = check(aPassingBid(), 'GW-DEADLINE', { call, submittedAt: new Date('2027-07-06T22:00:00Z') });

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "Submitted 6 July 2027 at 23:00:00 BST, by the call's deadline of 6 July 2027 at 23:59:59 BST",
      );
    });
  });

  describe('GW-FLOOR', () => {
    it('fails a bid asking for one penny less than the floor, saying so in pounds', () => {
      const bid = aPassingBid({ priorities: [{ code: '1.1', esfPence: 49_999_999 }] });

      const result = check(bid, 'GW-FLOOR');

      expect(result).to.deep.equal({
        code: 'GW-FLOOR',
        passed: false,
        message: "ESF requested £499,999.99 is below the call's £500,000.00 floor",
      });
    });

    it('passes a bid asking for exactly the floor', () => {
      const bid = aPassingBid({ priorities: [{ code: '1.1', esfPence: 50_000_000 }] });

      const result = check(bid, 'GW-FLOOR');

      expect(result).to.deep.equal({
        code: 'GW-FLOOR',
        passed: true,
        message: "ESF requested £500,000.00 meets the call's £500,000.00 floor",
      });
    });

    it('adds up the ESF of every priority the bid spans', () => {
      // 2.1's £400,000 allocation is below the floor: only a bid spanning priorities can reach it.
      const bid = aPassingBid({
        priorities: [
          { code: '2.1', esfPence: 40_000_000 },
          { code: '1.4', esfPence: 10_000_000 },
        ],
      });

      expect(check(bid, 'GW-FLOOR').passed).to.equal(true);
    });
  });

  describe('GW-ALLOCATION', () => {
    it("passes a priority asking for exactly its allocation, listing each priority's share", () => {
      const bid = aPassingBid({ priorities: [{ code: '1.1', esfPence: 80_000_000 }] });

      const result = check(bid, 'GW-ALLOCATION');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal("Each priority's ESF is within its allocation: 1.1 £800,000.00 of £800,000.00");
    });

    it('fails a priority asking for one penny over its allocation', () => {
      const bid = aPassingBid({
        priorities: [
          { code: '2.1', esfPence: 40_000_001 },
          { code: '1.1', esfPence: 20_000_000 },
        ],
      });

      const result = check(bid, 'GW-ALLOCATION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('Priority 2.1 asks for £400,000.01 ESF, above its £400,000.00 allocation');
    });

    it('fails, naming it, a priority code the call does not fund', () => {
      const bid = aPassingBid({
        priorities: [
          { code: '1.1', esfPence: 45_000_000 },
          { code: '9.9', esfPence: 15_000_000 },
        ],
      });

      const result = check(bid, 'GW-ALLOCATION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal("Priority 9.9 is not one of the call's priorities (1.1, 1.4, 2.1)");
    });

    it('adds together two lines for the same priority before comparing with its allocation', () => {
      const bid = aPassingBid({
        priorities: [
          { code: '1.1', esfPence: 40_000_001 },
          { code: '1.1', esfPence: 40_000_000 },
        ],
      });

      const result = check(bid, 'GW-ALLOCATION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('Priority 1.1 asks for £800,000.01 ESF, above its £800,000.00 allocation');
    });

    it('fails a bid that names no priority', () => {
      const result = check(aPassingBid({ priorities: [] }), 'GW-ALLOCATION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal("The bid names no priority; it needs at least one of the call's (1.1, 1.4, 2.1)");
    });
  });

  describe('GW-INTERVENTION', () => {
    it('passes ESF of exactly the intervention rate of the total eligible cost', () => {
      const result = check(aPassingBid(), 'GW-INTERVENTION');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "ESF requested £600,000.00 is within the call's 50% intervention rate: " +
          'at most £600,000.00 of the total eligible cost £1,200,000.00',
      );
    });

    it('fails ESF one penny over the intervention rate', () => {
      const bid = aPassingBid({
        priorities: [
          { code: '1.1', esfPence: 45_000_001 },
          { code: '2.1', esfPence: 15_000_000 },
        ],
      });

      const result = check(bid, 'GW-INTERVENTION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        "ESF requested £600,000.01 is above the call's 50% intervention rate: " +
          'at most £600,000.00 of the total eligible cost £1,200,000.00',
      );
    });

    it('compares exactly when the rate falls between two pennies', () => {
      // 50% of £1,200,000.01 is £600,000.005: £600,000.00 is within, £600,000.01 is not.
      const within = aPassingBid({ totalEligibleCostPence: 120_000_001 });
      const over = aPassingBid({
        totalEligibleCostPence: 120_000_001,
        priorities: [
          { code: '1.1', esfPence: 45_000_001 },
          { code: '2.1', esfPence: 15_000_000 },
        ],
      });

      expect(check(within, 'GW-INTERVENTION').passed).to.equal(true);
      expect(check(over, 'GW-INTERVENTION').passed).to.equal(false);
    });

    it("applies the call's own rate", () => {
      const call = aGatewayCall({ interventionRatePercent: 80 });
      const bid = aPassingBid({ totalEligibleCostPence: 75_000_000 });

      const result = check(bid, 'GW-INTERVENTION', { call });

      expect(result.passed).to.equal(true);
      expect(result.message).to.contain('at most £600,000.00 of the total eligible cost £750,000.00');
    });

    it('fails, without throwing, a bid with no total eligible cost', () => {
      const result = check(aPassingBid({ totalEligibleCostPence: undefined }), 'GW-INTERVENTION');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        "ESF requested £600,000.00 cannot be checked against the call's 50% intervention rate: the bid gives no " +
          'total eligible cost',
      );
    });
  });

  describe('GW-MATCH', () => {
    it('passes when declared match and ESF make exactly the total eligible cost', () => {
      const result = check(aPassingBid(), 'GW-MATCH');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        'Declared match £600,000.00 plus ESF £600,000.00 makes £1,200,000.00, equal to the total eligible cost ' +
          '£1,200,000.00',
      );
    });

    it('fails match one penny short of the total eligible cost', () => {
      const bid = aPassingBid({
        matchFunding: [
          { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 39_999_999, status: 'secured' },
          { funder: 'Volunteer time', sector: 'private', kind: 'in_kind', amountPence: 20_000_000, status: 'pending' },
        ],
      });

      const result = check(bid, 'GW-MATCH');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Declared match £599,999.99 plus ESF £600,000.00 makes £1,199,999.99, ' +
          'short of the total eligible cost £1,200,000.00 by £0.01',
      );
    });

    it('fails match one penny more than the total eligible cost needs', () => {
      const bid = aPassingBid({ totalEligibleCostPence: 119_999_999 });

      const result = check(bid, 'GW-MATCH');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Declared match £600,000.00 plus ESF £600,000.00 makes £1,200,000.00, ' +
          'more than the total eligible cost £1,199,999.99 by £0.01',
      );
    });

    it('fails match from an EU fund even when the sums are right, naming the line', () => {
      const bid = aPassingBid({
        matchFunding: [
          { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 40_000_000, status: 'secured' },
          { funder: 'ERDF grant', sector: 'public', kind: 'cash', amountPence: 20_000_000, status: 'secured' },
        ],
      });

      const result = check(bid, 'GW-MATCH');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Declared match £600,000.00 plus ESF £600,000.00 makes £1,200,000.00, equal to the total eligible cost ' +
          '£1,200,000.00; but match must come from outside EU funds: line 2 (ERDF grant, £200,000.00) is the ' +
          'European Regional Development Fund',
      );
    });

    it('names every EU-funded line beside a wrong sum', () => {
      const bid = aPassingBid({
        totalEligibleCostPence: 130_000_000,
        matchFunding: [
          {
            funder: 'European Social Fund',
            sector: 'public',
            kind: 'cash',
            amountPence: 40_000_000,
            status: 'secured',
          },
          { funder: 'Volunteer time', sector: 'private', kind: 'in_kind', amountPence: 20_000_000, status: 'pending' },
        ],
      });

      const result = check(bid, 'GW-MATCH');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'Declared match £600,000.00 plus ESF £600,000.00 makes £1,200,000.00, short of the total eligible cost ' +
          '£1,300,000.00 by £100,000.00; but match must come from outside EU funds: line 1 (European Social Fund, ' +
          '£400,000.00)',
      );
    });

    it('fails a bid that declares no match funding at all', () => {
      const result = check(aPassingBid({ matchFunding: undefined }), 'GW-MATCH');

      expect(result.passed).to.equal(false);
      expect(result.message).to.contain('Declared match £0.00 plus ESF £600,000.00');
    });
  });

  describe('GW-PARTNERSHIP', () => {
    const [lead, college] = aPassingBid().partners!;

    it('passes one lead whose partnership shares add up to the ESF and the declared match', () => {
      const result = check(aPassingBid(), 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "One lead partner (Derby Community Partnership); partners' ESF £600,000.00 equals the bid's ESF " +
          'and their match £600,000.00 equals the declared match',
      );
    });

    it('fails two leads, naming them', () => {
      const bid = aPassingBid({ partners: [lead, { ...college, role: 'lead' }] });

      const result = check(bid, 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        '2 lead partners (Derby Community Partnership, Derby College), where exactly one is needed',
      );
    });

    it('fails a partnership with no lead', () => {
      const bid = aPassingBid({ partners: [{ ...lead, role: 'delivery' }, college] });

      const result = check(bid, 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('No lead partner, where exactly one is needed');
    });

    it("fails partners' ESF shares one penny short of the bid's ESF", () => {
      const bid = aPassingBid({ partners: [lead, { ...college, esfPence: 19_999_999 }] });

      const result = check(bid, 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal("Partners' ESF adds up to £599,999.99, not the bid's ESF £600,000.00");
    });

    it("fails partners' match shares one penny over the declared match", () => {
      const bid = aPassingBid({ partners: [lead, { ...college, matchPence: 30_000_001 }] });

      const result = check(bid, 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal("Partners' match adds up to £600,000.01, not the declared match £600,000.00");
    });

    it('says every way a partnership fails at once', () => {
      const bid = aPassingBid({ partners: [{ ...college, esfPence: 1, matchPence: 2 }] });

      const result = check(bid, 'GW-PARTNERSHIP');

      expect(result.message).to.equal(
        "No lead partner, where exactly one is needed; partners' ESF adds up to £0.01, not the bid's ESF " +
          '£600,000.00; ' +
          "partners' match adds up to £0.02, not the declared match £600,000.00",
      );
    });

    it('fails, without throwing, a bid with no partners', () => {
      const result = check(aPassingBid({ partners: undefined }), 'GW-PARTNERSHIP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.match(/^No partners given, where exactly one lead is needed/);
    });
  });

  describe('GW-INDICATORS', () => {
    it('passes targets that are all indicators of the bid priorities, with P-TOTAL, within their cohorts', () => {
      const result = check(aPassingBid(), 'GW-INDICATORS');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "3 targets, all indicators of the bid's priorities (1.1, 2.1), with P-TOTAL 600; none exceeds its cohort",
      );
    });

    it('fails a result target one above its base cohort target', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-UNEMP', target: 90 },
        ],
        resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 91 }],
      });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('R-UNEMP-EMP target 91 exceeds its cohort P-UNEMP target 90');
    });

    it('passes a result target equal to its base cohort target', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-UNEMP', target: 90 },
        ],
        resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 90 }],
      });

      expect(check(bid, 'GW-INDICATORS').passed).to.equal(true);
    });

    it('measures a result against P-TOTAL when its base cohort has no target', () => {
      const over = aPassingBid({
        outputTargets: [{ indicator: 'P-TOTAL', target: 600 }],
        resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 601 }],
      });
      const equal = aPassingBid({
        outputTargets: [{ indicator: 'P-TOTAL', target: 600 }],
        resultTargets: [{ indicator: 'R-UNEMP-EMP', target: 600 }],
      });

      expect(check(over, 'GW-INDICATORS').message).to.equal(
        'R-UNEMP-EMP target 601 exceeds its cohort P-TOTAL target 600',
      );
      expect(check(equal, 'GW-INDICATORS').passed).to.equal(true);
    });

    it('fails a participant group one above P-TOTAL', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-UNEMP', target: 601 },
        ],
        resultTargets: [],
      });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('P-UNEMP target 601 exceeds its cohort P-TOTAL target 600');
    });

    it('fails a result without a narrower cohort that is above P-TOTAL', () => {
      const bid = aPassingBid({ resultTargets: [{ indicator: 'R-BASIC', target: 601 }] });

      expect(check(bid, 'GW-INDICATORS').message).to.equal('R-BASIC target 601 exceeds its cohort P-TOTAL target 600');
    });

    it('fails a bid with no P-TOTAL output target', () => {
      const bid = aPassingBid({ outputTargets: [{ indicator: 'P-UNEMP', target: 250 }] });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('No P-TOTAL (total participants) output target; every bid needs one');
    });

    it("allows P-TOTAL even where the call's priorities do not list it", () => {
      const call = aGatewayCall();
      call.priorities = call.priorities.map((p) => ({
        ...p,
        participantIndicators: p.participantIndicators.filter((code) => code !== 'P-TOTAL'),
      }));

      expect(check(aPassingBid(), 'GW-INDICATORS', { call }).passed).to.equal(true);
    });

    it("fails, naming it, a target for an indicator none of the bid's priorities lists", () => {
      // P-OFFEND belongs to 1.4, which this bid does not span.
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-OFFEND', target: 40 },
        ],
      });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal("P-OFFEND is not a participant indicator of the bid's priorities (1.1, 2.1)");
    });

    it('fails, naming it, a result target the bid priorities do not list', () => {
      const bid = aPassingBid({ resultTargets: [{ indicator: 'R-EDTRAIN', target: 10 }] });

      expect(check(bid, 'GW-INDICATORS').message).to.equal(
        "R-EDTRAIN is not a result indicator of the bid's priorities (1.1, 2.1)",
      );
    });

    it('fails, naming it, an indicator that is not in the catalogue', () => {
      const bid = aPassingBid({ resultTargets: [{ indicator: 'R-HAPPY', target: 10 }] });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('R-HAPPY is not an indicator in the catalogue');
    });

    it('fails a result indicator given as an output target', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'R-BASIC', target: 10 },
        ],
      });

      expect(check(bid, 'GW-INDICATORS').message).to.equal(
        "R-BASIC is not a participant indicator of the bid's priorities (1.1, 2.1)",
      );
    });

    it('fails targets that are not whole, non-negative numbers of participants', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-UNEMP', target: 2.5 },
        ],
        resultTargets: [{ indicator: 'R-UNEMP-EMP', target: -1 }],
      });

      const result = check(bid, 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        'P-UNEMP target 2.5 is not a whole number of participants; R-UNEMP-EMP target -1 is not a whole number of ' +
          'participants',
      );
    });

    it('fails an indicator given two targets', () => {
      const bid = aPassingBid({
        outputTargets: [
          { indicator: 'P-TOTAL', target: 600 },
          { indicator: 'P-UNEMP', target: 250 },
          { indicator: 'P-UNEMP', target: 300 },
        ],
      });

      expect(check(bid, 'GW-INDICATORS').message).to.equal('P-UNEMP has more than one target');
    });

    it('fails, without throwing, a bid with no targets at all', () => {
      const result = check(aPassingBid({ outputTargets: undefined, resultTargets: undefined }), 'GW-INDICATORS');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal('No P-TOTAL (total participants) output target; every bid needs one');
    });
  });

  describe('GW-GAP', () => {
    it("passes a bid claiming one of the call's gap criteria", () => {
      const result = check(aPassingBid(), 'GW-GAP');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal("Claims the call's gap criterion GAP-NEED");
    });

    it('fails a bid whose only claim is of a code the call does not have, naming it', () => {
      const bid = aPassingBid({ gapClaims: [{ gapCode: 'GAP-MADEUP', narrative: '…' }] });

      const result = check(bid, 'GW-GAP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        "Claims none of the call's gap criteria (GAP-NEED, GAP-SYSTEM, GAP-GROUPS, GAP-SUSTAIN, GAP-FUTURE); " +
          "GAP-MADEUP is not among the call's gap criteria",
      );
    });

    it('passes a known claim beside an unknown one, still naming the unknown one', () => {
      const bid = aPassingBid({
        gapClaims: [
          { gapCode: 'GAP-MADEUP', narrative: '…' },
          { gapCode: 'GAP-SYSTEM', narrative: '…' },
        ],
      });

      const result = check(bid, 'GW-GAP');

      expect(result.passed).to.equal(true);
      expect(result.message).to.equal(
        "Claims the call's gap criterion GAP-SYSTEM; GAP-MADEUP is not among the call's gap criteria",
      );
    });

    it('fails, without throwing, a bid with no gap claims', () => {
      const result = check(aPassingBid({ gapClaims: undefined }), 'GW-GAP');

      expect(result.passed).to.equal(false);
      expect(result.message).to.equal(
        "Claims none of the call's gap criteria (GAP-NEED, GAP-SYSTEM, GAP-GROUPS, GAP-SUSTAIN, GAP-FUTURE)",
      );
    });
  });

  describe('pending match funding', () => {
    it('is flagged with its share of the declared match, and is not a failure', () => {
      const result = gateway(aPassingBid());

      expect(result.passed).to.equal(true);
      expect(result.flags).to.deep.equal([
        { code: 'GW-MATCH-PENDING', message: '£200,000.00 of match funding is pending (33.33% of declared match)' },
      ]);
    });

    it('is not flagged when every match line is secured', () => {
      const bid = aPassingBid();
      bid.matchFunding = bid.matchFunding!.map((line) => ({ ...line, status: 'secured' as const }));

      expect(gateway(bid).flags).to.deep.equal([]);
    });

    it('rounds the share half-up', () => {
      const bid = aPassingBid({
        matchFunding: [
          { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 40_000_000, status: 'pending' },
          { funder: 'Volunteer time', sector: 'private', kind: 'in_kind', amountPence: 20_000_000, status: 'secured' },
        ],
      });

      expect(gateway(bid).flags[0].message).to.equal(
        '£400,000.00 of match funding is pending (66.67% of declared match)',
      );
    });
  });

  describe('sharePercent', () => {
    it('rounds to two decimals, half-up, without floating-point division', () => {
      expect(sharePercent(1, 3)).to.equal('33.33%');
      expect(sharePercent(2, 3)).to.equal('66.67%');
      expect(sharePercent(1, 8)).to.equal('12.50%');
      expect(sharePercent(1249, 1_000_000)).to.equal('0.12%');
      expect(sharePercent(1250, 1_000_000)).to.equal('0.13%');
      expect(sharePercent(1, 800)).to.equal('0.13%');
      expect(sharePercent(5, 5)).to.equal('100.00%');
      expect(sharePercent(0, 5)).to.equal('0.00%');
    });

    it('stays exact for sums far beyond any ESF call', () => {
      expect(sharePercent(9_007_199_254_740_991, 9_007_199_254_740_991)).to.equal('100.00%');
      expect(sharePercent(1, 9_007_199_254_740_991)).to.equal('0.00%');
    });

    it('refuses a share of nothing', () => {
      expect(() => sharePercent(1, 0)).to.throw(RangeError);
    });
  });

  describe('an incomplete draft', () => {
    it('is judged, never thrown over, when its optional lists are missing', () => {
      const bare: BidFields = {
        priorities: [{ code: '1.1', esfPence: 50_000_000 }],
        totalEligibleCostPence: 100_000_000,
      };

      const result = gateway(bare);

      expect(result.checks).to.have.length(8);
      expect(result.passed).to.equal(false);
      expect(result.flags).to.deep.equal([]);
    });

    it('is judged, never thrown over, when it is empty', () => {
      const result = gateway({});

      expect(result.checks.map((c) => [c.code, c.passed])).to.deep.equal([
        ['GW-DEADLINE', true],
        ['GW-FLOOR', false],
        ['GW-ALLOCATION', false],
        ['GW-INTERVENTION', false],
        ['GW-MATCH', false],
        ['GW-PARTNERSHIP', false],
        ['GW-INDICATORS', false],
        ['GW-GAP', false],
      ]);
    });
  });
  describe("partners' match shares", () => {
    const LEAD = '00000000-0000-4000-8000-00000000000a';
    const COLLEGE = '00000000-0000-4000-8000-00000000000b';
    const withIds = (matchFunding: BidFields['matchFunding']): BidFields => {
      const bid = aBidBody({ matchFunding });
      bid.partners = bid.partners!.map((p, i) => ({ ...p, id: i === 0 ? LEAD : COLLEGE }));
      return bid;
    };
    const [council, volunteers] = aBidBody().matchFunding!;

    it('flags a partner whose declared lines do not add up to its match share, and does not fail the bid', () => {
      // The lead declares the council's £400,000 against a £300,000 share; the college £200,000 against £300,000.
      const result = gateway(withIds([council, { ...volunteers, partnerId: COLLEGE }]));
      expect(result.passed).to.equal(true);
      expect(result.flags.filter((f) => f.code === 'GW-PARTNER-MATCH')).to.deep.equal([
        {
          code: 'GW-PARTNER-MATCH',
          message:
            "Derby Community Partnership's match-funding lines come to £400,000.00, but its share of the match is " +
            '£300,000.00',
        },
        {
          code: 'GW-PARTNER-MATCH',
          message: "Derby College's match-funding lines come to £200,000.00, but its share of the match is £300,000.00",
        },
      ]);
    });

    it("flags none when each partner's lines come exactly to its share (a line naming the lead is the lead's)", () => {
      const bid = withIds([
        { ...council, amountPence: 30_000_000, partnerId: LEAD },
        { ...volunteers, amountPence: 30_000_000, partnerId: COLLEGE },
      ]);
      expect(gateway(bid).flags.map((f) => f.code)).to.not.include('GW-PARTNER-MATCH');
      const unnamedLead = withIds([
        { ...council, amountPence: 30_000_000 },
        { ...volunteers, amountPence: 30_000_000, partnerId: COLLEGE },
      ]);
      expect(gateway(unnamedLead).flags.map((f) => f.code)).to.not.include('GW-PARTNER-MATCH');
    });

    it("judges nothing in a bid whose lines name no partner (all the lead's by default, as older bids have)", () => {
      expect(gateway(withIds([council, volunteers])).flags.map((f) => f.code)).to.deep.equal(['GW-MATCH-PENDING']);
    });
  });
});

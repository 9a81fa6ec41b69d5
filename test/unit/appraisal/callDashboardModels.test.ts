import { expect } from 'chai';
import { dashboardCounts, esfByPriority } from '../../../server/appraisal/callDashboardModels.ts';
import { d2n2HealthAndWellbeingCall } from '../../../server/demo/d2n2.ts';

const call = d2n2HealthAndWellbeingCall(new Date('2026-12-01T09:00:00Z'), new Date('2027-07-06T22:59:00Z'));

describe('the call dashboard', () => {
  const line = (
    status: string,
    gatewayPassed: boolean | undefined,
    scored = false,
    priorities = [{ code: '1.1', esfPence: 100 }],
  ) => ({ status, gatewayPassed, scored, fields: { priorities } });

  it('counts started, submitted (not withdrawn), through the gateway and fully scored', () => {
    const bids = [
      line('draft', undefined),
      line('withdrawn', true),
      line('submitted', false),
      line('submitted', true, true),
      line('approved', true, true),
    ];
    expect(dashboardCounts(bids)).to.deep.equal({ started: 5, submitted: 3, passedGateway: 2, scored: 2 });
  });

  it('adds up the ESF submitted bids ask of each priority, drafts and withdrawn bids left out', () => {
    const bids = [
      line('submitted', true, false, [
        { code: '1.1', esfPence: 45_000_000 },
        { code: '2.1', esfPence: 15_000_000 },
      ]),
      line('submitted', false),
      line('draft', undefined),
      line('withdrawn', true),
    ];
    expect(
      esfByPriority(call.priorities, bids).map((p) => [p.code, p.requestedPence, p.allocationPence]),
    ).to.deep.equal([
      ['1.1', 45_000_100, 80_000_000],
      ['1.4', 0, 80_000_000],
      ['2.1', 15_000_000, 40_000_000],
    ]);
  });
});

import { expect } from 'chai';
import { loadDemoData, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { anonymous, buildTestApp, type TestApp } from '../support/app.ts';

describe('demo data from the worked example', () => {
  let test: TestApp;
  beforeEach(() => {
    test = buildTestApp();
  });
  afterEach(() => test.close());

  async function signedInAs(email: string) {
    const agent = anonymous(test);
    await agent.post('/api/v1/session').send({ email, password: DEMO_PASSWORD }).expect(200);
    return agent;
  }

  it('publishes the D2N2 call with its three priorities and the 2.1 below-floor warning', async () => {
    await loadDemoData(test.ctx);
    const officer = await signedInAs('officer@d2n2.example');
    const [call] = (await officer.get('/api/v1/calls').expect(200)).body.items;
    expect(call.reference).to.equal('OC08S17P0801');
    expect(call.priorities.map((p: { code: string; allocationPence: number }) => [p.code, p.allocationPence])).to.deep.equal([
      ['1.1', 80_000_000],
      ['1.4', 80_000_000],
      ['2.1', 40_000_000],
    ]);
    expect(call).to.include({ interventionRatePercent: 50, minProjectEsfPence: 50_000_000 });
    expect(call.warnings).to.deep.equal([
      {
        code: 'CALL-ALLOCATION-BELOW-FLOOR',
        message:
          'Priority 2.1 has an allocation of £400,000.00, below the £500,000.00 floor per project: no bid can sit in it alone, so bids must span priorities',
      },
    ]);
  });

  it('has a bid that passes the gateway across 1.1 and 2.1, one that fails the floor, and one draft', async () => {
    await loadDemoData(test.ctx);
    const officer = await signedInAs('officer@d2n2.example');
    const [call] = (await officer.get('/api/v1/calls').expect(200)).body.items;
    const bids = (await officer.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
    expect(bids.map((b: { status: string; gateway: { passed: boolean } | null }) => [b.status, b.gateway?.passed ?? null])).to.deep.equal([
      ['submitted', true],
      ['submitted', false],
      ['draft', null],
    ]);
    const passing = (await officer.get(`/api/v1/bids/${bids[0].id}`).expect(200)).body;
    expect(passing.priorities.map((p: { code: string }) => p.code)).to.deep.equal(['1.1', '2.1']);
    expect(passing.matchFunding[0].evidenceAttachmentId).to.equal(passing.attachments[0].id);
    const failing = (await officer.get(`/api/v1/bids/${bids[1].id}`).expect(200)).body;
    const failed = failing.gateway.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { code: string }) => c.code);
    expect(failed).to.deep.equal(['GW-FLOOR']);
  });
});

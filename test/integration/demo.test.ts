import { expect } from 'chai';
import { loadDemoData, DEMO_PASSWORD } from '../../server/demo/seed.ts';
import { anonymous, useTestApp } from '../support/app.ts';

describe('demo data from the worked example', () => {
  const test = useTestApp();
  beforeEach(async () => {
    await loadDemoData(test.ctx);
  });

  async function signedInAs(email: string) {
    const agent = anonymous(test);
    await agent.post('/api/v1/session').send({ email, password: DEMO_PASSWORD }).expect(200);
    return agent;
  }

  async function demoCalls() {
    const officer = await signedInAs('officer@d2n2.example');
    const calls = (await officer.get('/api/v1/calls').expect(200)).body.items;
    return {
      officer,
      d2n2: calls.find((c: { reference: string }) => c.reference === 'OC08S17P0801'),
      open: calls.find((c: { reference: string }) => c.reference === 'OC08S17P0802'),
    };
  }

  it(
    'has the D2N2 call with its three priorities and the 2.1 below-floor warning, and a second ' + 'call open for bids',
    async () => {
      const { d2n2, open } = await demoCalls();
      expect(
        d2n2.priorities.map((p: { code: string; allocationPence: number }) => [p.code, p.allocationPence]),
      ).to.deep.equal([
        ['1.1', 80_000_000],
        ['1.4', 80_000_000],
        ['2.1', 40_000_000],
      ]);
      expect(d2n2).to.include({ interventionRatePercent: 50, minProjectEsfPence: 50_000_000, status: 'appraisal' });
      expect(d2n2.warnings).to.deep.equal([
        {
          code: 'CALL-ALLOCATION-BELOW-FLOOR',
          message:
            'Priority 2.1 has an allocation of £400,000.00, below the £500,000.00 floor per project: no bid can sit ' +
            'in it alone, so bids must span priorities',
        },
      ]);
      expect(open.status).to.equal('open');
    },
  );

  it('has bids passing the gateway across priorities, one failing the floor, and one draft', async () => {
    const { officer, d2n2 } = await demoCalls();
    const bids = (await officer.get(`/api/v1/calls/${d2n2.id}/bids`).expect(200)).body.items;
    expect(
      bids.map((b: { title: string; status: string; gateway: { passed: boolean } | null }) => [
        b.title,
        b.status,
        b.gateway?.passed ?? null,
      ]),
    ).to.deep.equal([
      ['Working Well Together', 'submitted', true],
      ['Healthy Minds at Work', 'submitted', true],
      ['Steps into Work Nottinghamshire', 'submitted', false],
      ['Healthy Workplaces Bassetlaw (draft)', 'draft', null],
    ]);
    const passing = (await officer.get(`/api/v1/bids/${bids[0].id}`).expect(200)).body;
    expect(passing.priorities.map((p: { code: string }) => p.code)).to.deep.equal(['1.1', '2.1']);
    expect(passing.matchFunding[0].evidenceAttachmentId).to.equal(passing.attachments[0].id);
    const failing = (await officer.get(`/api/v1/bids/${bids[2].id}`).expect(200)).body;
    expect(
      failing.gateway.checks.filter((c: { passed: boolean }) => !c.passed).map((c: { code: string }) => c.code),
    ).to.deep.equal(['GW-FLOOR']);
  });

  it('shows a newcomer a ranking and both funding plans at once', async () => {
    const { officer, d2n2 } = await demoCalls();
    const appraisal = (await officer.get(`/api/v1/calls/${d2n2.id}/appraisal`).expect(200)).body;
    const ranked = appraisal.bids.filter((b: { rank: number | null }) => b.rank !== null);
    expect(ranked.map((b: { title: string }) => b.title)).to.deep.equal([
      'Working Well Together',
      'Healthy Minds at Work',
    ]);
    expect(ranked.every((b: { appraisersSubmitted: number }) => b.appraisersSubmitted === 2)).to.equal(true);
    expect(appraisal.fundingPlan.greedy.bidIds).to.have.length(2);
    expect(appraisal.fundingPlan.optimal.provenOptimal).to.equal(true);
  });

  it('has one bid whose clarification was answered, the answered version appraised and scored', async () => {
    const { officer, d2n2 } = await demoCalls();
    const bids = (await officer.get(`/api/v1/calls/${d2n2.id}/bids`).expect(200)).body.items;
    const clarified = bids.find((b: { title: string }) => b.title === 'Working Well Together');
    const items = (await officer.get(`/api/v1/bids/${clarified.id}/clarifications`).expect(200)).body.items;
    expect(items.map((c: { status: string; answeredVersion: number }) => [c.status, c.answeredVersion])).to.deep.equal([
      ['answered', 2],
    ]);
    const versions = (await officer.get(`/api/v1/bids/${clarified.id}/versions`).expect(200)).body.items;
    expect(versions.map((v: { kind: string; appraised: boolean }) => [v.kind, v.appraised])).to.deep.equal([
      ['submission', false],
      ['clarification', true],
    ]);
    const scores = (await officer.get(`/api/v1/bids/${clarified.id}/scores`).expect(200)).body;
    expect(scores.appraisers.map((a: { version: number }) => a.version)).to.deep.equal([2, 2]);
    // An officer's question on a named section, with a reply-by instant that has passed (the demo runs on any date).
    expect(items[0].sections).to.deep.equal(['match-funding']);
    expect(Date.parse(items[0].respondBy)).to.be.below(test.clock.now().getTime());
    expect(Date.parse(versions[1].submittedAt)).to.be.at.most(Date.parse(items[0].respondBy));
  });

  it('has a consortium draft on the open call whose partner joined by invitation and completed its part', async () => {
    const { officer, open, d2n2 } = await demoCalls();
    const [draft] = (await officer.get(`/api/v1/calls/${open.id}/bids`).expect(200)).body.items;
    expect(draft).to.include({ title: 'Carers into Work Derby', status: 'draft' });

    const partner = await signedInAs('bids@derby-carers.example');
    const me = (await partner.get('/api/v1/me').expect(200)).body;
    expect(me.organisation.name).to.equal('Derby Carers Network');
    const bid = (await partner.get(`/api/v1/bids/${draft.id}`).expect(200)).body;
    const row = bid.partners.find((p: { role: string }) => p.role === 'delivery');
    expect(row).to.include({
      name: 'Derby Carers Network',
      organisationId: me.organisation.id,
      matchPence: 15_000_000,
    });
    expect(Date.parse(row.completedAt)).to.not.be.NaN;
    const declared = bid.matchFunding.filter((line: { partnerId?: string }) => line.partnerId === row.id);
    expect(declared.map((line: { amountPence: number }) => line.amountPence)).to.deep.equal([10_000_000, 5_000_000]);
    const invitations = await test.knex('invitations').where({ bidId: draft.id });
    expect(invitations.map((i) => [i.kind, i.partnerId, i.acceptedAt !== null])).to.deep.equal([
      ['partner', row.id, true],
    ]);
    // The partner's members read the consortium's bid, and nothing of the lead's other bids.
    await partner.get(`/bids/${draft.id}`).expect(200);
    const closedBids = (await officer.get(`/api/v1/calls/${d2n2.id}/bids`).expect(200)).body.items;
    await partner.get(`/api/v1/bids/${closedBids[0].id}`).expect(404);
  });

  it('has two partnership offers on the open call, one from an organisation in no bid, with a sign-in', async () => {
    const { open } = await demoCalls();
    const offerer = await signedInAs('bids@amber-valley-mind.example');
    const { items } = (await offerer.get(`/api/v1/calls/${open.id}/offers`).expect(200)).body;
    expect(items.map((o: { organisation: { name: string } }) => o.organisation.name)).to.deep.equal([
      'Amber Valley Mind',
      'Nottinghamshire Pathways Partnership',
    ]);
    expect((await offerer.get(`/api/v1/calls/${open.id}/bids`).expect(200)).body.items).to.deep.equal([]);
    // The consortium's lead, with a draft on the call, is offered an invitation from each.
    const lead = await signedInAs('bids@working-well-derby.example');
    const page = (await lead.get(`/calls/${open.id}`).expect(200)).text;
    for (const offer of items) expect(page).to.contain(`/calls/${open.id}/offers/${offer.id}/invite`);
  });
});

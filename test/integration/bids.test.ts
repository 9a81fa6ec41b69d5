import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { aBidBody, aCallBody } from '../support/builders.ts';
import {
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  useTestApp,
  type TestUser,
  aPublishedCall,
} from '../support/app.ts';
import { snapshot } from '../support/database.ts';

describe('bids API', () => {
  const test = useTestApp();
  let officer: TestUser;
  let applicant: TestUser;
  let call: { id: string; reference: string; closesAt: string; opensAt: string };

  beforeEach(async () => {
    officer = await anOfficer(test);
    applicant = await anApplicant(test);
    call = await aPublishedCall(officer);
  });

  async function aDraft(body = aBidBody(), who = applicant) {
    return (await who.agent.post(`/api/v1/calls/${call.id}/bids`).send(body).expect(201)).body;
  }

  function justAfterDeadline() {
    test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
  }

  describe('drafting', () => {
    it("starts a draft for the applicant's organisation, numbered within the call", async () => {
      const first = await aDraft();
      const second = await aDraft({ title: 'Second' });
      expect(first).to.include({
        status: 'draft',
        reference: `${call.reference}-001`,
        organisationId: applicant.actor.organisationId,
        version: null,
      });
      expect(second.reference).to.equal(`${call.reference}-002`);
      expect(first.title).to.equal('Working Well Together');
    });

    it('accepts an empty draft', async () => {
      const draft = await aDraft({});
      expect(draft.status).to.equal('draft');
    });

    it("replaces the draft's fields", async () => {
      const draft = await aDraft();
      const response = await applicant.agent.put(`/api/v1/bids/${draft.id}`).send({ title: 'Renamed' }).expect(200);
      expect(response.body.title).to.equal('Renamed');
      expect(response.body).not.to.have.property('partners');
    });

    it('refuses unknown fields and money in pounds with 422, and changes nothing', async () => {
      const draft = await aDraft();
      const before = await snapshot();
      const response = await applicant.agent
        .put(`/api/v1/bids/${draft.id}`)
        .send({ ...aBidBody(), colour: 'blue', totalEligibleCostPence: 1200000.5 });
      expect(response.status).to.equal(422);
      const paths = response.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(['/colour', '/totalEligibleCostPence']);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses a draft on a call that has closed', async () => {
      justAfterDeadline();
      const response = await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody());
      expect(response.status).to.equal(409);
    });

    it('answers a draft call with 404 to an applicant', async () => {
      const draftCall = (await officer.agent.post('/api/v1/calls').send(aCallBody()).expect(201)).body;
      expect((await applicant.agent.post(`/api/v1/calls/${draftCall.id}/bids`).send({})).status).to.equal(404);
    });
  });

  describe('submitting', () => {
    it(
      'submits a complete bid with its gateway result and a receipt anyone can check against the ' + 'stored version',
      async () => {
        const draft = await aDraft();
        const response = await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
        const bid = response.body;
        expect(bid.status).to.equal('submitted');
        expect(bid.version).to.equal(1);
        expect(bid.gateway.passed).to.equal(true);
        expect(bid.gateway.checks.map((c: { code: string }) => c.code)).to.deep.equal([
          'GW-DEADLINE',
          'GW-FLOOR',
          'GW-ALLOCATION',
          'GW-INTERVENTION',
          'GW-MATCH',
          'GW-PARTNERSHIP',
          'GW-INDICATORS',
          'GW-GAP',
        ]);
        expect(bid.flags.map((f: { code: string }) => f.code)).to.deep.equal(['GW-MATCH-PENDING']);
        expect(bid.receipt).to.include({ reference: draft.reference, version: 1 });
        const stored = (await officer.agent.get(`/api/v1/bids/${draft.id}/versions/1`).expect(200)).body;
        expect(createHash('sha256').update(stored.canonicalJson).digest('hex')).to.equal(bid.receipt.sha256);
        expect(stored.content.fields.title).to.equal('Working Well Together');
        expect(stored.content.submittedAt).to.equal(bid.receipt.submittedAt);
      },
    );

    it('refuses an incomplete bid with 422 naming every missing field, and stores nothing', async () => {
      const draft = await aDraft({ title: 'Only a title' });
      const before = await snapshot();
      const response = await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`);
      expect(response.status).to.equal(422);
      const paths = response.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members([
        '/summary',
        '/startDate',
        '/endDate',
        '/geography',
        '/narrative/need',
        '/narrative/activities',
        '/narrative/delivery',
        '/narrative/management',
        '/narrative/crossCuttingThemes',
        '/partners',
        '/priorities',
        '/totalEligibleCostPence',
      ]);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('submits a bid one penny under the floor, recorded with its failed check in pounds', async () => {
      const body = aBidBody({
        priorities: [
          { code: '1.1', esfPence: 34_999_999 },
          { code: '2.1', esfPence: 15_000_000 },
        ],
        partners: [{ name: 'Lead', type: 'vcs', role: 'lead', esfPence: 49_999_999, matchPence: 60_000_000 }],
        totalEligibleCostPence: 109_999_999,
      });
      const bid = (await applicant.agent.post(`/api/v1/bids/${(await aDraft(body)).id}/submit`).expect(200)).body;
      expect(bid.status).to.equal('submitted');
      expect(bid.gateway.passed).to.equal(false);
      const floor = bid.gateway.checks.find((c: { code: string }) => c.code === 'GW-FLOOR');
      expect(floor).to.deep.equal({
        code: 'GW-FLOOR',
        passed: false,
        message: "ESF requested £499,999.99 is below the call's £500,000.00 floor",
      });
    });

    it('accepts a submission at the deadline itself', async () => {
      const draft = await aDraft();
      test.clock.set(call.closesAt);
      const response = await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`);
      expect(response.status).to.equal(200);
      expect(response.body.receipt.submittedAt).to.equal(new Date(call.closesAt).toISOString());
    });

    it('refuses a submission one second after the deadline with 409, and keeps the draft as it was', async () => {
      const draft = await aDraft();
      justAfterDeadline();
      const before = await snapshot();
      const response = await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`);
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.match(/submissions are no longer accepted/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses a submission that started before the deadline but completed after it, changing nothing', async () => {
      const draft = await aDraft();
      // Each reading of the clock moves it on two seconds: the request starts before and finishes after.
      test.clock.set(new Date(Date.parse(call.closesAt) - 1000), 2000);
      const before = await snapshot();
      const response = await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`);
      expect(response.status).to.equal(409);
      expect(response.body.error.message).to.match(/before the submission completed/);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('makes one new version when two submissions of the same bid race', async () => {
      const draft = await aDraft();
      const [a, b] = await Promise.all([
        applicant.agent.post(`/api/v1/bids/${draft.id}/submit`),
        applicant.agent.post(`/api/v1/bids/${draft.id}/submit`),
      ]);
      expect([a.status, b.status]).to.deep.equal([200, 200]);
      expect(a.body.receipt).to.deep.equal(b.body.receipt);
      const versions = await test.knex('bidVersions').where({ bidId: draft.id });
      expect(versions).to.have.length(1);
      const submitted = await test.knex('auditEvents').where({ bidId: draft.id, action: 'bid.submitted' });
      expect(submitted).to.have.length(1);
    });

    it('keeps each resubmission as a new immutable numbered version', async () => {
      const draft = await aDraft();
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      await applicant.agent
        .put(`/api/v1/bids/${draft.id}`)
        .send(aBidBody({ title: 'Working Well Together (v2)' }))
        .expect(200);
      const officerView = (await officer.agent.get(`/api/v1/bids/${draft.id}`).expect(200)).body;
      expect(officerView.title).to.equal('Working Well Together');
      const second = (await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200)).body;
      expect(second.version).to.equal(2);
      expect(second.hasUnsubmittedChanges).to.equal(false);
      const versions = await test.knex('bidVersions').where({ bidId: draft.id }).orderBy('version');
      expect(versions.map((v) => v.version)).to.deep.equal([1, 2]);
      let refused: unknown;
      try {
        await test.knex('bidVersions').where({ bidId: draft.id, version: 1 }).update({ sha256: 'x' });
      } catch (error) {
        refused = error;
      }
      expect(String(refused)).to.contain('immutable');
    });

    it('withdraws and resubmits before the deadline, and locks the bid after it', async () => {
      const draft = await aDraft();
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      const withdrawn = (await applicant.agent.post(`/api/v1/bids/${draft.id}/withdraw`).expect(200)).body;
      expect(withdrawn.status).to.equal('withdrawn');
      const again = (await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200)).body;
      expect(again).to.include({ status: 'submitted', version: 2 });
      justAfterDeadline();
      const before = await snapshot();
      expect((await applicant.agent.put(`/api/v1/bids/${draft.id}`).send(aBidBody())).status).to.equal(409);
      expect((await applicant.agent.post(`/api/v1/bids/${draft.id}/withdraw`)).status).to.equal(409);
      expect((await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`)).status).to.equal(409);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses to withdraw a bid that was never submitted', async () => {
      const draft = await aDraft();
      expect((await applicant.agent.post(`/api/v1/bids/${draft.id}/withdraw`)).status).to.equal(409);
    });

    it('records every state change as an audit event', async () => {
      const draft = await aDraft();
      await applicant.agent
        .put(`/api/v1/bids/${draft.id}`)
        .send(aBidBody({ title: 'T2' }))
        .expect(200);
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      await applicant.agent.post(`/api/v1/bids/${draft.id}/withdraw`).expect(200);
      const events = await test.knex('auditEvents').where({ bidId: draft.id }).orderBy('id');
      expect(events.map((e) => e.action)).to.deep.equal([
        'bid.created',
        'bid.updated',
        'bid.submitted',
        // the receipt e-mailed to the organisation's member
        'mail.queued',
        'bid.withdrawn',
      ]);
      expect(events.every((e) => e.actorId === applicant.actor.id || e.action === 'mail.queued')).to.equal(true);
      expect(events[1].before.title).to.equal('Working Well Together');
      expect(events[1].after.title).to.equal('T2');
    });
  });

  describe('who may do what', () => {
    it("answers another organisation's bid with 404 for every bid endpoint, changing nothing", async () => {
      const draft = await aDraft();
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      const stranger = await anApplicant(test);
      const before = await snapshot();
      const responses = [
        await stranger.agent.get(`/api/v1/bids/${draft.id}`),
        await stranger.agent.put(`/api/v1/bids/${draft.id}`).send({ title: 'Mine now' }),
        await stranger.agent.post(`/api/v1/bids/${draft.id}/submit`),
        await stranger.agent.post(`/api/v1/bids/${draft.id}/withdraw`),
        await stranger.agent.get(`/api/v1/bids/${draft.id}/versions/1`),
      ];
      expect(responses.map((r) => r.status)).to.deep.equal([404, 404, 404, 404, 404]);
      const listed = (await stranger.agent.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
      expect(listed).to.deep.equal([]);
      expect(await snapshot()).to.deep.equal(before);
    });

    it("lets the call's officers read every bid but change none (403)", async () => {
      const draft = await aDraft();
      await applicant.agent.post(`/api/v1/bids/${draft.id}/submit`).expect(200);
      const colleague = await anOfficer(test, officer.actor.funderId!);
      expect((await colleague.agent.get(`/api/v1/bids/${draft.id}`)).status).to.equal(200);
      const items = (await colleague.agent.get(`/api/v1/calls/${call.id}/bids`).expect(200)).body.items;
      expect(items.map((b: { id: string }) => b.id)).to.deep.equal([draft.id]);
      expect((await colleague.agent.put(`/api/v1/bids/${draft.id}`).send({})).status).to.equal(403);
      expect((await colleague.agent.post(`/api/v1/bids/${draft.id}/submit`)).status).to.equal(403);
      expect((await colleague.agent.post(`/api/v1/bids/${draft.id}/withdraw`)).status).to.equal(403);
      expect((await colleague.agent.post(`/api/v1/calls/${call.id}/bids`).send({})).status).to.equal(403);
    });

    it("answers another funder's officer with 404", async () => {
      const draft = await aDraft();
      const outsider = await anOfficer(test);
      expect((await outsider.agent.get(`/api/v1/bids/${draft.id}`)).status).to.equal(404);
      expect((await outsider.agent.get(`/api/v1/calls/${call.id}/bids`)).status).to.equal(404);
    });

    it('shows appraisers nothing yet: 404 for a bid, 403 for a list, 403 for changes', async () => {
      const draft = await aDraft();
      const appraiser = await anAppraiser(test, officer.actor.funderId!);
      expect((await appraiser.agent.get(`/api/v1/bids/${draft.id}`)).status).to.equal(404);
      expect((await appraiser.agent.put(`/api/v1/bids/${draft.id}`).send({})).status).to.equal(403);
      expect((await appraiser.agent.post(`/api/v1/bids/${draft.id}/submit`)).status).to.equal(403);
    });

    it('answers anonymous requests with 401', async () => {
      const draft = await aDraft();
      const nobody = anonymous(test);
      expect((await nobody.get(`/api/v1/bids/${draft.id}`)).status).to.equal(401);
      expect((await nobody.put(`/api/v1/bids/${draft.id}`).send({})).status).to.equal(401);
      expect((await nobody.post(`/api/v1/bids/${draft.id}/submit`)).status).to.equal(401);
      expect((await nobody.post(`/api/v1/calls/${call.id}/bids`).send({})).status).to.equal(401);
      expect((await nobody.get(`/api/v1/calls/${call.id}/bids`)).status).to.equal(401);
    });
  });
});

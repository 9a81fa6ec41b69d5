import { expect } from 'chai';
import { aCallBody } from '../support/builders.ts';
import { aFunder, anApplicant, anAppraiser, anOfficer, anonymous, useTestApp } from '../support/app.ts';
import { snapshot } from '../support/database.ts';

describe('calls API', () => {
  const test = useTestApp();

  async function aDraft(officer: Awaited<ReturnType<typeof anOfficer>>, overrides = {}) {
    const response = await officer.agent.post('/api/v1/calls').send(aCallBody(overrides)).expect(201);
    return response.body as { id: string; status: string; warnings: { code: string; message: string }[] };
  }

  describe('writing a call', () => {
    it('creates a draft with its warnings and records who did it', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      expect(call.status).to.equal('draft');
      expect(call.warnings.map((w) => w.code)).to.deep.equal(['CALL-ALLOCATION-BELOW-FLOOR']);
      const events = await test.knex('auditEvents').where({ callId: call.id });
      expect(events.map((e) => e.action)).to.deep.equal(['call.created']);
      expect(events[0].actorId).to.equal(officer.actor.id);
    });

    it('answers a malformed JSON body with 400', async () => {
      const officer = await anOfficer(test);
      const response = await officer.agent
        .post('/api/v1/calls')
        .set('Content-Type', 'application/json')
        .send('{"reference": ');
      expect(response.status).to.equal(400);
      expect(response.body.error.code).to.equal('bad-request');
    });

    it('answers an unknown field with 422 naming it, and stores nothing', async () => {
      const officer = await anOfficer(test);
      const before = await snapshot();
      const response = await officer.agent.post('/api/v1/calls').send({ ...aCallBody(), budget: 5 });
      expect(response.status).to.equal(422);
      expect(response.body.error.details).to.deep.include({ path: '/budget', message: 'Unknown field "budget"' });
      expect(await snapshot()).to.deep.equal(before);
    });

    it('refuses money given as a decimal or a string, with a detail per field', async () => {
      const officer = await anOfficer(test);
      const body = aCallBody({ minProjectEsfPence: 500000.5 as number });
      (body.priorities[0] as unknown as Record<string, unknown>).allocationPence = '80000000';
      const response = await officer.agent.post('/api/v1/calls').send(body);
      expect(response.status).to.equal(422);
      const paths = response.body.error.details.map((d: { path: string }) => d.path);
      expect(paths).to.include.members(['/minProjectEsfPence', '/priorities/0/allocationPence']);
    });

    it('refuses a body that is not JSON with 415', async () => {
      const officer = await anOfficer(test);
      const response = await officer.agent.post('/api/v1/calls').type('form').send('reference=X');
      expect(response.status).to.equal(415);
    });

    it('refuses a second call with the same reference with 409', async () => {
      const officer = await anOfficer(test);
      const body = aCallBody();
      await officer.agent.post('/api/v1/calls').send(body).expect(201);
      const response = await officer.agent.post('/api/v1/calls').send(body);
      expect(response.status).to.equal(409);
      expect(response.body.error.details[0].message).to.equal('A call with that reference already exists');
    });

    it('replaces every field of a draft, children included', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      const body = aCallBody({ title: 'Health and Wellbeing (revised)' });
      body.priorities = body.priorities.slice(0, 2);
      const response = await officer.agent.put(`/api/v1/calls/${call.id}`).send(body).expect(200);
      expect(response.body.title).to.equal('Health and Wellbeing (revised)');
      expect(response.body.priorities.map((p: { code: string }) => p.code)).to.deep.equal(['1.1', '1.4']);
      expect(response.body.warnings).to.deep.equal([]);
      expect(await test.knex('callPriorities').where({ callId: call.id })).to.have.length(2);
    });

    it('refuses to change a published call: its rules do not change under bids', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const response = await officer.agent.put(`/api/v1/calls/${call.id}`).send(aCallBody());
      expect(response.status).to.equal(409);
    });
  });

  describe('publishing', () => {
    it('publishes with the below-floor warning naming the priority and both sums', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      const response = await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      expect(response.body.status).to.equal('open');
      expect(response.body.warnings).to.have.length(1);
      expect(response.body.warnings[0].message).to.match(
        /^Priority 2\.1 has an allocation of £400,000\.00, below the £500,000\.00 floor/,
      );
    });

    const refusals: [string, (body: ReturnType<typeof aCallBody>) => void, string][] = [
      ['no priorities', (b) => (b.priorities = []), '/priorities'],
      [
        'an unknown indicator code',
        (b) => b.priorities[0].resultIndicators.push('R-UNKNOWN'),
        '/priorities/0/resultIndicators/5',
      ],
      ['closesAt equal to opensAt', (b) => (b.closesAt = b.opensAt), '/closesAt'],
      ['duplicate priority codes', (b) => (b.priorities[1].code = '1.1'), '/priorities'],
      ['a zero allocation', (b) => (b.priorities[0].allocationPence = 0), '/priorities/0/allocationPence'],
      ['a negative allocation', (b) => (b.priorities[0].allocationPence = -100), '/priorities/0/allocationPence'],
    ];
    for (const [what, change, path] of refusals) {
      it(`refuses to publish a call with ${what}, with the reason, and leaves it a draft`, async () => {
        const officer = await anOfficer(test);
        const body = aCallBody();
        change(body);
        const call = (await officer.agent.post('/api/v1/calls').send(body).expect(201)).body;
        const before = await snapshot();
        const response = await officer.agent.post(`/api/v1/calls/${call.id}/publish`);
        expect(response.status).to.equal(422);
        expect(response.body.error.details.map((d: { path: string }) => d.path)).to.include(path);
        expect(await snapshot()).to.deep.equal(before);
      });
    }

    it('refuses to publish twice', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      expect((await officer.agent.post(`/api/v1/calls/${call.id}/publish`)).status).to.equal(409);
    });
  });

  describe('the deadline', () => {
    it('reads a call as open one second before closesAt and closed one second after, with nothing run', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const closesAt = new Date((await anonymous(test).get(`/api/v1/calls/${call.id}`)).body.closesAt);
      test.clock.set(new Date(closesAt.getTime() - 1000));
      expect((await anonymous(test).get(`/api/v1/calls/${call.id}`)).body.status).to.equal('open');
      test.clock.set(new Date(closesAt.getTime() + 1000));
      expect((await anonymous(test).get(`/api/v1/calls/${call.id}`)).body.status).to.equal('closed');
      expect((await anonymous(test).get('/api/v1/calls')).body.items[0].status).to.equal('closed');
    });

    it('lets an officer close an open call early, keeping the published deadline, once', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const response = await officer.agent.post(`/api/v1/calls/${call.id}/close`).expect(200);
      expect(response.body.status).to.equal('closed');
      const row = await test.knex('calls').where({ id: call.id }).first();
      expect(row.scheduledClosesAt).to.be.instanceOf(Date);
      expect(row.closesAt.getTime()).to.be.lessThan(row.scheduledClosesAt.getTime());
      expect((await officer.agent.post(`/api/v1/calls/${call.id}/close`)).status).to.equal(409);
    });

    it('refuses to close a draft', async () => {
      const officer = await anOfficer(test);
      const call = await aDraft(officer);
      expect((await officer.agent.post(`/api/v1/calls/${call.id}/close`)).status).to.equal(409);
    });
  });

  describe('reading calls', () => {
    it('shows the public only published calls, and an officer also their own drafts', async () => {
      const officer = await anOfficer(test);
      const draft = await aDraft(officer);
      const published = await aDraft(officer);
      await officer.agent.post(`/api/v1/calls/${published.id}/publish`).expect(200);
      const publicIds = (await anonymous(test).get('/api/v1/calls').expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      );
      expect(publicIds).to.deep.equal([published.id]);
      const officerIds = (await officer.agent.get('/api/v1/calls').expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      );
      expect(officerIds).to.have.members([draft.id, published.id]);
      const applicant = await anApplicant(test);
      const seen = (await applicant.agent.get(`/api/v1/calls/${published.id}`).expect(200)).body;
      expect(seen).not.to.have.property('warnings');
    });

    it(
      'shows the public a published call from its published fields exactly as an officer reads it ' + 'from its rows',
      async () => {
        const officer = await anOfficer(test);
        const call = await aDraft(officer);
        await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
        const { warnings, ...fromRows } = (await officer.agent.get(`/api/v1/calls/${call.id}`).expect(200)).body;
        expect(warnings).to.be.an('array');
        const fromPublished = (await anonymous(test).get(`/api/v1/calls/${call.id}`).expect(200)).body;
        expect(fromPublished).to.deep.equal(fromRows);
        expect(fromPublished.priorities).to.have.length(aCallBody().priorities.length);
        // Closed early, the public sees the deadline as it now stands, not the one in the published fields.
        await officer.agent.post(`/api/v1/calls/${call.id}/close`).expect(200);
        const closed = (await anonymous(test).get(`/api/v1/calls/${call.id}`).expect(200)).body;
        const row = await test.knex('calls').where({ id: call.id }).first();
        expect(closed.status).to.equal('closed');
        expect(closed.closesAt).to.equal(row.closesAt.toISOString());
        expect(row.publishedFields.closesAt).to.equal(row.scheduledClosesAt.toISOString());
      },
    );

    it('writes the public answer from the stored JSON: each key once, text people wrote intact, as JSON', async () => {
      const officer = await anOfficer(test);
      const title = 'Health & "Wellbeing" \\ </script>\n café ✓ 𝄞';
      const call = await aDraft(officer, { title, description: 'Line one\r\nLine two\ttabbed \u2028' });
      await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const response = await anonymous(test).get(`/api/v1/calls/${call.id}`).expect(200);
      expect(response.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(response.body.title).to.equal(title);
      expect(response.body.description).to.equal('Line one\r\nLine two\ttabbed \u2028');
      for (const key of ['id', 'status', 'funderId', 'opensAt', 'closesAt', 'reference', 'priorities'])
        expect(response.text.split(`"${key}":`).length - 1, key).to.equal(1);
      const { warnings, ...fromRows } = (await officer.agent.get(`/api/v1/calls/${call.id}`).expect(200)).body;
      expect(warnings).to.be.an('array');
      expect(response.body).to.deep.equal(fromRows);
    });

    it('keeps published fields with every published call and none with a draft (a database rule)', async () => {
      const officer = await anOfficer(test);
      const draft = await aDraft(officer);
      const error = await test
        .knex('calls')
        .where({ id: draft.id })
        .update({ stage: 'open' })
        .catch((e: Error) => e);
      expect(String(error)).to.match(/calls_published_fields/);
    });

    it(
      'builds, for calls published before the column existed, the same published fields the ' + 'service writes',
      async () => {
        const officer = await anOfficer(test);
        const call = await aDraft(officer);
        await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
        await officer.agent.post(`/api/v1/calls/${call.id}/close`).expect(200);
        const written = (await test.knex('calls').where({ id: call.id }).first()).publishedFields;
        const migration = await import('../../migrations/20261123160000_add-call-published-fields.ts');
        await test.knex.transaction(async (trx) => {
          await migration.down(trx);
          await migration.up(trx);
        });
        const rebuilt = (await test.knex('calls').where({ id: call.id }).first()).publishedFields;
        expect(rebuilt).to.deep.equal(written);
      },
    );

    it('serves the indicator catalogue with base cohorts', async () => {
      const items = (await anonymous(test).get('/api/v1/indicators').expect(200)).body.items;
      expect(items).to.have.length(19);
      expect(items.find((i: { code: string }) => i.code === 'R-UNEMP-EMP')).to.deep.equal({
        code: 'R-UNEMP-EMP',
        kind: 'result',
        title: 'Unemployed participants into employment (including self-employment) on leaving',
        baseCohort: 'P-UNEMP',
      });
    });

    it('answers an id that is not an id with 404', async () => {
      expect((await anonymous(test).get('/api/v1/calls/not-a-uuid')).status).to.equal(404);
    });
  });

  describe('who may do what', () => {
    it("keeps funders apart: another funder's officer gets 404 for a draft and everything behind it", async () => {
      const owner = await anOfficer(test);
      const outsider = await anOfficer(test);
      const draft = await aDraft(owner);
      expect((await outsider.agent.get(`/api/v1/calls/${draft.id}`)).status).to.equal(404);
      expect((await outsider.agent.put(`/api/v1/calls/${draft.id}`).send(aCallBody())).status).to.equal(404);
      expect((await outsider.agent.post(`/api/v1/calls/${draft.id}/publish`)).status).to.equal(404);
      expect((await outsider.agent.post(`/api/v1/calls/${draft.id}/close`)).status).to.equal(404);
      const listed = (await outsider.agent.get('/api/v1/calls')).body.items;
      expect(listed).to.deep.equal([]);
    });

    it("lets another funder's officer read a published call but not manage it", async () => {
      const owner = await anOfficer(test);
      const outsider = await anOfficer(test);
      const call = await aDraft(owner);
      await owner.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200);
      const read = await outsider.agent.get(`/api/v1/calls/${call.id}`).expect(200);
      expect(read.body).not.to.have.property('warnings');
      expect((await outsider.agent.post(`/api/v1/calls/${call.id}/close`)).status).to.equal(404);
    });

    it('hides drafts from applicants, appraisers and the public', async () => {
      const owner = await anOfficer(test);
      const draft = await aDraft(owner);
      const appraiser = await anAppraiser(test, owner.actor.funderId!);
      for (const agent of [anonymous(test), (await anApplicant(test)).agent, appraiser.agent]) {
        expect((await agent.get(`/api/v1/calls/${draft.id}`)).status).to.equal(404);
      }
    });

    it('lets only officers write, publish and close calls: 401 anonymous, 403 applicant and appraiser', async () => {
      const owner = await anOfficer(test);
      const draft = await aDraft(owner);
      const applicant = await anApplicant(test);
      const appraiser = await anAppraiser(test, owner.actor.funderId!);
      const attempts = [
        (a: typeof applicant.agent) => a.post('/api/v1/calls').send(aCallBody()),
        (a: typeof applicant.agent) => a.put(`/api/v1/calls/${draft.id}`).send(aCallBody()),
        (a: typeof applicant.agent) => a.post(`/api/v1/calls/${draft.id}/publish`),
        (a: typeof applicant.agent) => a.post(`/api/v1/calls/${draft.id}/close`),
      ];
      for (const attempt of attempts) {
        expect((await attempt(anonymous(test))).status).to.equal(401);
        expect((await attempt(applicant.agent)).status).to.equal(403);
        expect((await attempt(appraiser.agent)).status).to.equal(403);
      }
      const row = await test.knex('calls').where({ id: draft.id }).first();
      expect(row.stage).to.equal('draft');
      expect(await test.knex('calls')).to.have.length(1);
    });

    it('never lets an officer of one funder act in another even with the id of its funder', async () => {
      const funderId = await aFunder(test);
      const officer = await anOfficer(test, funderId);
      const call = await aDraft(officer);
      const row = await test.knex('calls').where({ id: call.id }).first();
      expect(row.funderId).to.equal(funderId);
    });
  });
});

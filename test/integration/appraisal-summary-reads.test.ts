import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, useTestApp } from '../support/app.ts';
import { latestVersionSummariesOf } from '../../server/bids/repository.ts';
import { findCall } from '../../server/calls/repository.ts';
import { appraiseCall } from '../../server/appraisal/summary.ts';
import { APPRAISAL_FIELDS, presentCallAppraisal } from '../../server/appraisal/presenter.ts';

/** Text that JSON escapes or PostgreSQL's jsonb rewrites: quotes, backslashes, controls, U+2028, astral characters. */
const AWKWARD = 'Say "hi" \\ back\tslash\n line\u2028sep </script> 𝄞 café ﬁ';

describe('the appraisal reads the submitted fields', () => {
  const test = useTestApp();

  it("of each bid's newest version, as the stored canonical text has them, without the narratives", async () => {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    const ids: string[] = [];
    for (const title of [AWKWARD, 'Plain']) {
      const applicant = await anApplicant(test);
      const plain = aBidBody();
      const narrative = Object.fromEntries(Object.keys(plain.narrative!).map((section) => [section, AWKWARD]));
      const partners = plain.partners!.map((p, i) => (i === 0 ? { ...p, name: AWKWARD } : p));
      const body = aBidBody({ title, summary: AWKWARD, narrative, partners });
      const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(body).expect(201)).body;
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      ids.push(bid.id);
      if (title === 'Plain') {
        // A second version: only the newest is read.
        await applicant.agent
          .put(`/api/v1/bids/${bid.id}`)
          .send({ ...body, title: 'Plain, again' })
          .expect(200);
        await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      }
    }

    const read = await latestVersionSummariesOf(test.knex, ids);
    // What the appraisal read before it parsed the text itself: PostgreSQL's jsonb of the same text, less narrative.
    const { rows } = await test.knex.raw(
      `select distinct on (bid_id) bid_id, version, (canonical_json::jsonb -> 'fields') - 'narrative' as fields
         from bid_versions where bid_id = any(?) order by bid_id, version desc`,
      [ids],
    );
    expect(rows).to.have.length(2);
    for (const row of rows as { bid_id: string; version: number; fields: Record<string, unknown> }[]) {
      const { version, fields } = read.get(row.bid_id)!;
      expect(fields).to.deep.equal(row.fields);
      expect(fields).not.to.have.property('narrative');
      expect(version.version).to.equal(row.version);
      expect(version).not.to.have.property('canonicalJson');
    }
    expect(read.get(ids[0])!.fields.title).to.equal(AWKWARD);
    expect(read.get(ids[1])!.fields.title).to.equal('Plain, again');
    expect(read.get(ids[1])!.version.version).to.equal(2);

    // Asked to keep some fields, it keeps those (when the bid has them) and no others.
    const kept = await latestVersionSummariesOf(test.knex, ids, ['title', 'priorities', 'gapClaims']);
    for (const row of rows as { bid_id: string; fields: Record<string, unknown> }[]) {
      const expected = Object.fromEntries(
        ['title', 'priorities', 'gapClaims']
          .filter((name) => name in row.fields)
          .map((name) => [name, row.fields[name]]),
      );
      expect(kept.get(row.bid_id)!.fields).to.deep.equal(expected).and.to.have.property('title');
      expect(kept.get(row.bid_id)!.version.version).to.equal(read.get(row.bid_id)!.version.version);
    }
  });

  it("answers the API's appraisal from the fields it shows, the same as from all of them", async () => {
    const officer = await anOfficer(test);
    const call = await aPublishedCall(officer);
    for (const title of ['First', 'Second']) {
      const applicant = await anApplicant(test);
      const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody({ title })).expect(201))
        .body;
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    }
    const row = (await findCall(test.knex, call.id))!;
    const all = presentCallAppraisal(await appraiseCall(test.knex, row));
    const shown = presentCallAppraisal(await appraiseCall(test.knex, row, { fields: APPRAISAL_FIELDS }));
    expect(shown).to.deep.equal(all);
    expect(shown.bids.map((b) => b.title).sort()).to.deep.equal(['First', 'Second']);
    expect(shown.bids.every((b) => b.valueForMoney.participants > 0 && b.priorities.length > 0)).to.equal(true);
  });
});

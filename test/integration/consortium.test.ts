/**
 * Consortium bids through the API: partners with identities that every write keeps, a revision that refuses a
 * stale write (412) and changes nothing, and each partner's part written, completed and removed on its own.
 */
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import ExcelJS from 'exceljs';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, aPublishedCall, binaryBody, useTestApp, type TestUser } from '../support/app.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import { snapshot } from '../support/database.ts';
import type { BidFields, MatchLine, Partner } from '../../server/bids/types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('consortium bids', () => {
  const test = useTestApp();
  let lead: TestUser;
  let call: { id: string; closesAt: string };
  let bid: BidFields & { id: string; organisationId: string; revision: number; partners: Partner[] };

  beforeEach(async () => {
    call = await aPublishedCall(await anOfficer(test));
    lead = await anApplicant(test);
    bid = (await lead.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
  });

  const draftOf = async (id = bid.id) => (await test.knex('bids').where({ id }).first()).draft as BidFields;
  const college = () => bid.partners.find((p) => p.role === 'delivery')!;

  describe('partners with identities', () => {
    it("gives every partner an id; the lead's organisation is the bid's, the others' none until they join", () => {
      expect(bid.partners).to.have.length(2);
      for (const partner of bid.partners) expect(partner.id).to.match(UUID);
      expect(bid.partners[0]).to.include({ role: 'lead', organisationId: bid.organisationId, completedAt: null });
      expect(bid.partners[1]).to.include({ role: 'delivery', organisationId: null, completedAt: null });
    });

    it('keeps the ids a PUT sends, gives a partner sent without one a new id, and drops one left out', async () => {
      const [leadRow, collegeRow] = bid.partners;
      const body = aBidBody({
        partners: [
          { ...collegeRow, name: 'Derby College Group' },
          leadRow,
          { name: 'Rural Action Derbyshire', type: 'vcs', role: 'delivery', esfPence: 1, matchPence: 0 },
        ],
      });
      const saved = (await lead.agent.put(`/api/v1/bids/${bid.id}`).send(body).expect(200)).body;
      expect(saved.partners.map((p: Partner) => p.id).slice(0, 2)).to.deep.equal([collegeRow.id, leadRow.id]);
      expect(saved.partners[0].name).to.equal('Derby College Group');
      expect(saved.partners[2].id).to.match(UUID).and.not.be.oneOf([leadRow.id, collegeRow.id]);
      expect((await draftOf()).partners!.map((p) => p.id)).to.deep.equal(saved.partners.map((p: Partner) => p.id));

      const without = (
        await lead.agent
          .put(`/api/v1/bids/${bid.id}`)
          .send({ ...body, partners: [leadRow] })
          .expect(200)
      ).body;
      expect(without.partners.map((p: Partner) => p.id)).to.deep.equal([leadRow.id]);
    });

    it('ignores an organisation or completion a PUT claims for a partner: the server sets them', async () => {
      const forged = bid.partners.map((p) => ({
        ...p,
        organisationId: '00000000-0000-4000-8000-000000000001',
        completedAt: '2026-01-01T00:00:00.000Z',
      }));
      const saved = (
        await lead.agent
          .put(`/api/v1/bids/${bid.id}`)
          .send(aBidBody({ partners: forged }))
          .expect(200)
      ).body;
      expect(saved.partners[0]).to.include({ organisationId: bid.organisationId, completedAt: null });
      expect(saved.partners[1]).to.include({ organisationId: null, completedAt: null });
    });

    it('refuses two partners with one id, and a line naming a partner the bid lacks (422), unchanged', async () => {
      const before = await snapshot();
      const twice = await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: [bid.partners[0], { ...bid.partners[1], id: bid.partners[0].id }] }))
        .expect(422);
      expect(twice.body.error.details).to.deep.include({
        path: '/partners/1/id',
        message: 'Another partner has the same id',
      });
      const stranger = await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(
          aBidBody({
            partners: bid.partners,
            matchFunding: [{ ...aBidBody().matchFunding![0], partnerId: '00000000-0000-4000-8000-000000000002' }],
          }),
        )
        .expect(422);
      expect(stranger.body.error.details).to.deep.equal([
        { path: '/matchFunding/0/partnerId', message: 'The bid has no partner with this id' },
      ]);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('keeps ids, organisations and declaring partners in a submitted version', async () => {
      const lines: MatchLine[] = aBidBody().matchFunding!.map((l, i) =>
        i === 1 ? { ...l, partnerId: college().id } : l,
      );
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: bid.partners, matchFunding: lines }))
        .expect(200);
      await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const { content } = (await lead.agent.get(`/api/v1/bids/${bid.id}/versions/1`).expect(200)).body;
      expect(content.fields.partners.map((p: Partner) => p.id)).to.deep.equal(bid.partners.map((p) => p.id));
      expect(content.fields.partners[0].organisationId).to.equal(bid.organisationId);
      expect(content.fields.matchFunding[1].partnerId).to.equal(college().id);
    });
  });

  describe('no lost updates', () => {
    it('answers an ETag that every change raises', async () => {
      const first = await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200);
      expect(first.headers.etag).to.equal(`"${first.body.revision}"`);
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ title: 'Changed' }))
        .expect(200);
      const second = await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200);
      expect(second.body.revision).to.equal(first.body.revision + 1);
      expect(second.headers.etag).to.equal(`"${second.body.revision}"`);
      // A conditional GET is answered in full: the ETag is the draft's, and the answer says more (status, gateway).
      const again = await lead.agent.get(`/api/v1/bids/${bid.id}`).set('If-None-Match', second.headers.etag);
      expect(again.status).to.equal(200);
    });

    it('takes a PUT whose If-Match is current, and refuses a stale one with 412, changing nothing', async () => {
      const { etag } = (await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).headers;
      const ok = await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .set('If-Match', etag)
        .send({ ...aBidBody({ title: 'First' }), partners: bid.partners })
        .expect(200);
      expect(ok.headers.etag).to.not.equal(etag);
      const before = await snapshot();
      const stale = await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .set('If-Match', etag)
        .send(aBidBody({ title: 'Second' }))
        .expect(412);
      expect(stale.body.error.code).to.equal('precondition-failed');
      const foreign = await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .set('If-Match', 'W/"abc"')
        .send(aBidBody({ title: 'Third' }))
        .expect(412);
      expect(foreign.body.error.code).to.equal('precondition-failed');
      expect(await snapshot()).to.deep.equal(before);
      // Without If-Match, or with *, the write is made as before.
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .set('If-Match', '*')
        .send(aBidBody({ title: 'Star' }))
        .expect(200);
      expect((await draftOf()).title).to.equal('Star');
    });

    it('lets exactly one of two PUTs with the same If-Match win; the draft holds its write whole', async () => {
      const { etag } = (await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).headers;
      const other = await anApplicant(test, bid.organisationId);
      const bodies = ['Tab one', 'Tab two'].map((title) =>
        aBidBody({ title, summary: `${title} summary`, partners: bid.partners }),
      );
      const answers = await Promise.all(
        [lead, other].map((member, i) =>
          member.agent.put(`/api/v1/bids/${bid.id}`).set('If-Match', etag).send(bodies[i]),
        ),
      );
      expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 412]);
      const winner = answers.findIndex((a) => a.status === 200);
      const draft = await draftOf();
      expect(draft).to.include({ title: bodies[winner].title, summary: bodies[winner].summary });
      const row = await test.knex('bids').where({ id: bid.id }).first();
      expect(row.revision).to.equal(bid.revision + 1);
    });
  });

  describe('ten writers at once', () => {
    it("keeps every partner's last write when ten write their parts at once (If-Match, retry)", async function () {
      this.timeout(120_000);
      const partners: Partner[] = [
        bid.partners[0],
        ...Array.from({ length: 10 }, (_, i) => ({
          name: `Partner ${i}`,
          type: 'vcs' as const,
          role: 'delivery' as const,
          esfPence: 0,
          matchPence: 0,
        })),
      ];
      const saved = (
        await lead.agent
          .put(`/api/v1/bids/${bid.id}`)
          .send(aBidBody({ partners, matchFunding: aBidBody().matchFunding }))
          .expect(200)
      ).body;
      const writers = await Promise.all(saved.partners.slice(1).map(() => anApplicant(test, bid.organisationId)));
      let conflicts = 0;
      const writeAll = async (writer: TestUser, partner: Partner, rounds: number) => {
        for (let round = 1; round <= rounds; round += 1) {
          const body = {
            partner: { name: partner.name, type: 'vcs', esfPence: round, matchPence: round * 10 },
            matchFunding: [
              {
                funder: `${partner.name} round ${round}`,
                sector: 'public',
                kind: 'cash',
                amountPence: round * 10,
                status: 'secured',
              },
            ],
          };
          for (;;) {
            const { etag } = (await writer.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).headers;
            const answer = await writer.agent
              .put(`/api/v1/bids/${bid.id}/partners/${partner.id}`)
              .set('If-Match', etag)
              .send(body);
            if (answer.status === 200) break;
            expect(answer.status).to.equal(412);
            conflicts += 1;
          }
        }
      };
      await Promise.all(writers.map((writer, i) => writeAll(writer, saved.partners[i + 1], 2)));
      const draft = await draftOf();
      for (const partner of saved.partners.slice(1) as Partner[]) {
        const row = draft.partners!.find((p) => p.id === partner.id)!;
        expect(row).to.include({ esfPence: 2, matchPence: 20 });
        expect(draft.matchFunding!.filter((l) => l.partnerId === partner.id).map((l) => l.funder)).to.deep.equal([
          `${partner.name} round 2`,
        ]);
      }
      // The lead's own lines were never touched; and the writers did meet each other.
      expect(draft.matchFunding!.filter((l) => l.partnerId === undefined)).to.have.length(2);
      expect(conflicts).to.be.above(0);
      const row = await test.knex('bids').where({ id: bid.id }).first();
      expect(row.revision).to.equal(saved.revision + 20);
    });
  });

  describe("a partner's part", () => {
    const part = {
      partner: {
        name: 'Derby College',
        type: 'education',
        companyNumber: '01234567',
        esfPence: 21_000_000,
        matchPence: 5,
      },
      matchFunding: [
        { funder: 'College reserves', sector: 'public', kind: 'cash', amountPence: 3, status: 'secured' },
        { funder: 'Staff time', sector: 'public', kind: 'in_kind', amountPence: 2, status: 'pending' },
      ],
    };

    it("replaces the partner's row and its lines, and leaves every other part as it was", async () => {
      const saved = (await lead.agent.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part).expect(200))
        .body;
      expect(saved.partners[0]).to.deep.equal(bid.partners[0]);
      expect(saved.partners[1]).to.include({ id: college().id, role: 'delivery', esfPence: 21_000_000, matchPence: 5 });
      // The lead's two lines stay first; the college's follow, naming it.
      expect(saved.matchFunding.map((l: MatchLine) => [l.funder, l.partnerId])).to.deep.equal([
        ['Derby City Council', undefined],
        ['Volunteer time', undefined],
        ['College reserves', college().id],
        ['Staff time', college().id],
      ]);
      // Again: its lines are replaced in place, not added.
      const again = (
        await lead.agent
          .put(`/api/v1/bids/${bid.id}/partners/${college().id}`)
          .send({ ...part, matchFunding: [part.matchFunding[1]] })
          .expect(200)
      ).body;
      expect(again.matchFunding.map((l: MatchLine) => l.funder)).to.deep.equal([
        'Derby City Council',
        'Volunteer time',
        'Staff time',
      ]);
    });

    it('honours If-Match (412 when stale, nothing changed) and answers its ETag', async () => {
      const { etag } = (await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).headers;
      await lead.agent.put(`/api/v1/bids/${bid.id}`).send(aBidBody({ partners: bid.partners, title: 'Moved on' }));
      const before = await snapshot();
      await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/${college().id}`)
        .set('If-Match', etag)
        .send(part)
        .expect(412);
      expect(await snapshot()).to.deep.equal(before);
      const current = (await lead.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).headers.etag;
      const ok = await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/${college().id}`)
        .set('If-Match', current)
        .send(part)
        .expect(200);
      expect(ok.headers.etag).to.equal(`"${ok.body.revision}"`);
    });

    it('refuses a malformed part (422) and an unknown partner (404), changing nothing', async () => {
      const before = await snapshot();
      const bad = await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/${college().id}`)
        .send({ partner: { ...part.partner, esfPence: -1 } })
        .expect(422);
      expect(bad.body.error.details[0].path).to.equal('/partner/esfPence');
      await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/00000000-0000-4000-8000-000000000003`)
        .send(part)
        .expect(404);
      await lead.agent.put(`/api/v1/bids/${bid.id}/partners/not-an-id`).send(part).expect(404);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('marks a part complete, and any later change to that part (not to another) clears it', async () => {
      const done = (await lead.agent.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(200)).body;
      const completedAt = done.partners[1].completedAt;
      expect(Date.parse(completedAt)).to.be.a('number').and.not.be.NaN;
      // A change to the lead's part leaves the college complete.
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: done.partners, title: 'Retitled' }))
        .expect(200);
      expect((await draftOf()).partners![1].completedAt).to.equal(completedAt);
      // A line moved to the college changes its part: incomplete again.
      const moved = aBidBody().matchFunding!.map((l, i) => (i === 1 ? { ...l, partnerId: college().id } : l));
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: done.partners, matchFunding: moved }))
        .expect(200);
      expect((await draftOf()).partners![1].completedAt).to.equal(null);
      // Completed again, then its row changed through its own PUT: incomplete again.
      await lead.agent.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(200);
      await lead.agent.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part).expect(200);
      expect((await draftOf()).partners![1].completedAt).to.equal(null);
    });

    it("removes a delivery partner with its lines (204), but never the lead's own row (409)", async () => {
      await lead.agent.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part).expect(200);
      await lead.agent.delete(`/api/v1/bids/${bid.id}/partners/${bid.partners[0].id}`).expect(409);
      await lead.agent.delete(`/api/v1/bids/${bid.id}/partners/${college().id}`).expect(204);
      const draft = await draftOf();
      expect(draft.partners!.map((p) => p.id)).to.deep.equal([bid.partners[0].id]);
      expect(draft.matchFunding!.map((l) => l.funder)).to.deep.equal(['Derby City Council', 'Volunteer time']);
      await lead.agent.delete(`/api/v1/bids/${bid.id}/partners/${college().id}`).expect(404);
    });

    it('is refused after the deadline (409) and to another organisation (404)', async () => {
      const stranger = await anApplicant(test);
      await stranger.agent.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part).expect(404);
      await stranger.agent.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(404);
      await stranger.agent.delete(`/api/v1/bids/${bid.id}/partners/${college().id}`).expect(404);
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      await lead.agent.put(`/api/v1/bids/${bid.id}/partners/${college().id}`).send(part).expect(409);
      await lead.agent.post(`/api/v1/bids/${bid.id}/partners/${college().id}/complete`).expect(409);
      await lead.agent.delete(`/api/v1/bids/${bid.id}/partners/${college().id}`).expect(409);
    });
  });
  describe('the bid template round trip', () => {
    const download = async () => {
      const response = await lead.agent
        .get(`/api/v1/calls/${call.id}/bid-template.xlsx?bidId=${bid.id}`)
        .buffer(true)
        .parse(binaryBody)
        .expect(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
      return workbook;
    };
    const upload = async (workbook: ExcelJS.Workbook, status: number) => {
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const response = await lead.agent.post(`/api/v1/bids/${bid.id}/import`).attach('file', bytes, 'bid.xlsx');
      expect(response.status, JSON.stringify(response.body)).to.equal(status);
      return response;
    };

    beforeEach(async () => {
      const lines = aBidBody().matchFunding!.map((l, i) => (i === 1 ? { ...l, partnerId: college().id } : l));
      bid = (
        await lead.agent
          .put(`/api/v1/bids/${bid.id}`)
          .send(aBidBody({ partners: bid.partners, matchFunding: lines }))
          .expect(200)
      ).body;
    });

    it("writes each partner's id and each line's declaring partner, and reads them back unchanged", async () => {
      const workbook = await download();
      expect(workbook.getWorksheet('Partners')!.getCell('H2').value).to.equal(bid.partners[0].id);
      expect(workbook.getWorksheet('Match funding')!.getCell('G3').value).to.equal('Derby College');
      expect(workbook.getWorksheet('Match funding')!.getCell('G2').value).to.equal(null);
      const saved = (await upload(workbook, 200)).body;
      expect(saved.partners).to.deep.equal(bid.partners);
      expect(saved.matchFunding).to.deep.equal(bid.matchFunding);
    });

    it('matches partners by name where the sheet has no id; refuses a line declared by an unknown name', async () => {
      const workbook = await download();
      const partners = workbook.getWorksheet('Partners')!;
      partners.getCell('H2').value = null;
      partners.getCell('H3').value = null;
      partners.getCell('A3').value = 'DERBY COLLEGE';
      partners.getCell('A4').value = 'Rural Action Derbyshire';
      partners.getCell('B4').value = 'VCS';
      partners.getCell('C4').value = 'Delivery';
      partners.getCell('F4').value = 0;
      partners.getCell('G4').value = 0;
      const saved = (await upload(workbook, 200)).body;
      expect(saved.partners.slice(0, 2).map((p: Partner) => p.id)).to.deep.equal(bid.partners.map((p) => p.id));
      expect(saved.partners[2].id)
        .to.match(UUID)
        .and.not.be.oneOf(bid.partners.map((p) => p.id));
      expect(saved.matchFunding[1].partnerId).to.equal(college().id);

      const strange = await download();
      strange.getWorksheet('Match funding')!.getCell('G2').value = 'Nobody Ltd';
      const before = await snapshot();
      const refused = await upload(strange, 422);
      expect(refused.body.error.details).to.deep.equal([
        {
          path: "'Match funding'!G2",
          message:
            'No partner on the Partners sheet is called "Nobody Ltd"; use a name from column A there, or leave it ' +
            'blank for the lead',
        },
      ]);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('reads a template handed out before the id and declaring columns existed', async () => {
      const workbook = await download();
      for (const [sheet, column] of [
        ['Partners', 'H'],
        ['Match funding', 'G'],
      ])
        workbook
          .getWorksheet(sheet)!
          .getColumn(column)
          .eachCell((cell) => {
            cell.value = null;
          });
      const saved = (await upload(workbook, 200)).body;
      // Matched by name, the partners keep their ids; the lines, named by no one, are the lead's.
      expect(saved.partners.map((p: Partner) => p.id)).to.deep.equal(bid.partners.map((p) => p.id));
      expect(saved.matchFunding.map((l: MatchLine) => l.partnerId)).to.deep.equal([undefined, undefined]);
    });
  });

  describe("a section's page and a conflicting save", () => {
    const post = async (values: Record<string, string>) =>
      lead.agent
        .post(`/bids/${bid.id}/details`)
        .type('form')
        .send({ _csrf: await csrfTokenFrom(lead.agent, `/bids/${bid.id}/details`), ...values });

    it('carries the revision it was drawn at', async () => {
      const $ = cheerio.load((await lead.agent.get(`/bids/${bid.id}/details`).expect(200)).text);
      expect($('input[name="revision"]').val()).to.equal(String(bid.revision));
    });

    it("saves one tab's section after another tab saved a different one", async () => {
      const drawnAt = String(bid.revision);
      await lead.agent.put(`/api/v1/bids/${bid.id}`).send(aBidBody({ partners: bid.partners, summary: 'Other tab' }));
      // The other tab saved the details (the summary); this one saves the narratives, drawn before that.
      const narrativesPage = await lead.agent
        .post(`/bids/${bid.id}/narratives`)
        .type('form')
        .send({
          _csrf: await csrfTokenFrom(lead.agent, `/bids/${bid.id}/narratives`),
          revision: drawnAt,
          'narrative-need': 'Written in a tab opened before the other save',
        });
      expect(narrativesPage.status).to.equal(303);
      const draft = await draftOf();
      expect(draft.narrative!.need).to.equal('Written in a tab opened before the other save');
      expect(draft.summary).to.equal('Other tab');
    });

    it('keeps what the person typed beside what was saved meanwhile, and saves it when sent again', async () => {
      const drawnAt = String(bid.revision);
      await lead.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ partners: bid.partners, title: 'Saved in the other tab' }))
        .expect(200);
      const before = await snapshot();
      const conflict = await post({ revision: drawnAt, title: 'Typed in this tab' });
      expect(conflict.status).to.equal(409);
      expect(await snapshot()).to.deep.equal(before);
      const $ = cheerio.load(conflict.text);
      expect($('#conflict').text()).to.contain('Someone else saved this section while you were changing it');
      expect($('#answers-details').text()).to.contain('Saved in the other tab');
      expect($('input#title').val()).to.equal('Typed in this tab');
      const current = $('input[name="revision"]').val() as string;
      expect(Number(current)).to.be.above(Number(drawnAt));

      const again = await post({ revision: current, title: 'Typed in this tab' });
      expect(again.status).to.equal(303);
      expect((await draftOf()).title).to.equal('Typed in this tab');
    });
  });
});

/**
 * The consortium's pages: the lead's task list shows each delivery partner with where it stands and lets the lead
 * invite and remove it; a partner's member sees their own part to fill in and complete, and the rest read-only.
 */
import { expect } from 'chai';
import type supertest from 'supertest';
import type { BidFields } from '../../server/bids/types.ts';
import { aConsortium, type ConsortiumBid } from '../support/consortium.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom, parsePage, type ParsedPage } from '../support/pages.ts';
import { useTestApp, type PublishedCall, type TestUser } from '../support/app.ts';
import { aPdf, aPng } from '../support/files.ts';

describe('pages: consortium bids', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let officer: TestUser;
  let call: PublishedCall;
  let lead: TestUser;
  let bid: ConsortiumBid;
  let college: TestUser;
  let collegeId: string;
  let trustId: string;

  beforeEach(async () => {
    ({ officer, call, lead, bid, college, collegeId, trustId } = await aConsortium(test));
  });

  const draft = async (): Promise<BidFields> => (await test.knex('bids').where({ id: bid.id }).first()).draft;
  const page = async (who: TestUser, path: string, status = 200): Promise<ParsedPage> => {
    const response = await who.agent.get(path);
    expect(response.status, path).to.equal(status);
    return parsePage(response.text);
  };
  async function post(
    who: TestUser,
    path: string,
    fields: Record<string, string>,
    tokenPage = `/bids/${bid.id}`,
  ): Promise<supertest.Response> {
    const token = await csrfTokenFrom(who.agent, tokenPage);
    return who.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }
  const follow = async (who: TestUser, response: supertest.Response) => {
    expect(response.status, response.text.slice(0, 300)).to.equal(303);
    return page(who, response.headers.location as string);
  };
  const partPath = (partnerId: string) => `/bids/${bid.id}/partners/${partnerId}/part`;
  /** The part page's form as drawn, with the changes a person typed. */
  async function partForm(who: TestUser, partnerId: string, changes: Record<string, string>) {
    const drawn = await page(who, partPath(partnerId));
    const fields: Record<string, string> = drawn.hiddenFields(`form[action="${partPath(partnerId)}"]`);
    for (const input of drawn.$(`form[action="${partPath(partnerId)}"] input[type="text"]`).toArray())
      fields[drawn.$(input).attr('name')!] = drawn.$(input).attr('value') ?? '';
    for (const select of drawn.$(`form[action="${partPath(partnerId)}"] select`).toArray())
      fields[drawn.$(select).attr('name')!] = drawn.$(select).find('option[selected]').attr('value') ?? '';
    return { ...fields, ...changes };
  }

  describe("the lead's task list", () => {
    it('shows each delivery partner with its standing as a tag, and the lead with none to change', async () => {
      const overview = await page(lead, `/bids/${bid.id}`);
      expect(overview.summaryValue('Derby College', '#consortium')).to.match(/^Joined /);
      expect(overview.summaryValue('Third Sector Trust', '#consortium')).to.match(/^Not invited /);
      expect(overview.summaryValue('Derby Community Partnership', '#consortium')).to.match(/^Lead /);
      const trust = overview.$(`#partner-${trustId} .govuk-summary-list__actions a`).toArray();
      expect(trust.map((a) => overview.$(a).attr('href'))).to.deep.equal([
        `/bids/${bid.id}/partners/${trustId}/part`,
        `/bids/${bid.id}/partners/${trustId}/invite`,
        `/bids/${bid.id}/partners/${trustId}/remove`,
      ]);
      // Joined already: no invitation; the lead's own row: nothing to invite or remove.
      expect(overview.hrefs()).not.to.include(`/bids/${bid.id}/partners/${collegeId}/invite`);
      expect(overview.$(`#partner-${bid.partners[0].id} .govuk-summary-list__actions`).length).to.equal(0);

      await college.agent.post(`/api/v1/bids/${bid.id}/partners/${collegeId}/complete`).expect(200);
      await lead.agent
        .post(`/api/v1/bids/${bid.id}/partners/${trustId}/invitation`)
        .send({ email: 'trust@trust.example' })
        .expect(201);
      const later = await page(lead, `/bids/${bid.id}`);
      expect(later.summaryValue('Derby College', '#consortium')).to.match(/^Complete .*marked complete on/);
      expect(later.summaryValue('Third Sector Trust', '#consortium')).to.match(/^Invited .*trust@trust\.example/);
      expect(later.hrefs()).to.include(`/bids/${bid.id}/partners/${trustId}/invite`);
    });

    it('invites a partner from its page: the e-mail goes, a flash says so, a new one replaces it', async () => {
      const invitePath = `/bids/${bid.id}/partners/${trustId}/invite`;
      const form = await page(lead, invitePath);
      expect(form.heading()).to.equal('Invite Third Sector Trust to the bid');
      const sent = await follow(lead, await post(lead, invitePath, { email: 'first@trust.example' }, invitePath));
      expect(sent.successBanner()).to.match(/^Invitation sent to first@trust\.example\. The link works once/);
      expect(
        await test.knex('mail_outbox').where({ toAddress: 'first@trust.example', template: 'invitation' }),
      ).to.have.length(1);

      const again = await page(lead, invitePath);
      expect(again.textOf('current-invitation')).to.contain('first@trust.example');
      await follow(lead, await post(lead, invitePath, { email: 'second@trust.example' }, invitePath));
      const rows = await test.knex('invitations').where({ bidId: bid.id, partnerId: trustId }).orderBy('createdAt');
      expect(rows.map((r) => [r.email, r.revokedAt === null])).to.deep.equal([
        ['first@trust.example', false],
        ['second@trust.example', true],
      ]);
    });

    it('refuses an address that is not one (422, kept on the form) and changes nothing', async () => {
      const invitePath = `/bids/${bid.id}/partners/${trustId}/invite`;
      const before = await snapshot();
      const refused = await post(lead, invitePath, { email: 'not an address' }, invitePath);
      expect(refused.status).to.equal(422);
      const shown = parsePage(refused.text);
      expect(shown.errorFor('#email')).to.equal('Enter an email address like name@example.org');
      expect(shown.fieldValue('email')).to.equal('not an address');
      const blank = await post(lead, invitePath, { email: '' }, invitePath);
      expect(parsePage(blank.text).errorFor('#email')).to.equal('Enter their email address');
      expect(await snapshot()).to.deep.equal(before);
    });

    it("refuses to invite or remove the lead's own row (409), or a joined partner's invitation", async () => {
      const leadId = bid.partners[0].id!;
      await page(lead, `/bids/${bid.id}/partners/${leadId}/invite`, 409);
      await page(lead, `/bids/${bid.id}/partners/${leadId}/remove`, 409);
      await page(lead, `/bids/${bid.id}/partners/${collegeId}/invite`, 409);
      const before = await snapshot();
      expect((await post(lead, `/bids/${bid.id}/partners/${leadId}/remove`, {})).status).to.equal(409);
      expect(await snapshot()).to.deep.equal(before);
    });

    it('removes a partner after a confirmation, with the lines it declares', async () => {
      await college.agent
        .put(`/api/v1/bids/${bid.id}/partners/${collegeId}`)
        .send({
          partner: { name: 'Derby College', type: 'education', esfPence: 20_000_000, matchPence: 30_000_000 },
          matchFunding: [
            { funder: 'College reserves', sector: 'public', kind: 'cash', amountPence: 1, status: 'pending' },
          ],
        })
        .expect(200);
      const confirm = await page(lead, `/bids/${bid.id}/partners/${collegeId}/remove`);
      expect(confirm.heading()).to.equal('Are you sure you want to remove Derby College from the bid?');
      expect(confirm.text()).to.contain('with the 1 match-funding line it declares');
      const done = await follow(lead, await post(lead, `/bids/${bid.id}/partners/${collegeId}/remove`, {}));
      expect(done.successBanner()).to.equal(
        'Derby College was removed from the bid, with the match funding it declared.',
      );
      const after = await draft();
      expect(after.partners!.map((p) => p.name)).to.deep.equal(['Derby Community Partnership', 'Third Sector Trust']);
      expect(after.matchFunding!.map((l) => l.funder)).to.deep.equal(['Derby City Council', 'Volunteer time']);
      // The college's member no longer reaches the bid.
      await page(college, `/bids/${bid.id}`, 404);
    });

    it('offers no invitation or removal once the call has closed, and refuses them (409)', async () => {
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      const overview = await page(lead, `/bids/${bid.id}`);
      expect(overview.hrefs().filter((h) => /\/(invite|remove)$/.test(h))).to.deep.equal([]);
      expect(overview.hrefs()).to.include(`/bids/${bid.id}/partners/${trustId}/part`);
      await page(lead, `/bids/${bid.id}/partners/${trustId}/invite`, 409);
      await page(lead, `/bids/${bid.id}/partners/${trustId}/remove`, 409);
    });
  });

  describe("a partner member's view", () => {
    it('lists the bid on their dashboard among the bids their organisation is a partner in', async () => {
      const dashboard = await page(college, '/dashboard');
      expect(dashboard.tableRows('#partner-bids').map((row) => row[0])).to.deep.equal([
        `Working Well Together ${bid.reference}`,
      ]);
      expect(dashboard.hrefs()).to.include(`/bids/${bid.id}`);
      // The lead's dashboard has it once, as its own.
      const leads = await page(lead, '/dashboard');
      expect(leads.has('partner-bids')).to.equal(false);
      expect(leads.hrefs().filter((h) => h === `/bids/${bid.id}`)).to.have.length(1);
    });

    it('shows their own part as a task, and the rest of the bid with no way to change, submit or invite', async () => {
      const overview = await page(college, `/bids/${bid.id}`);
      expect(overview.taskList()[0]).to.deep.equal({
        href: partPath(collegeId),
        title: 'Your part: Derby College',
        status: 'Incomplete',
      });
      expect(overview.textOf('partner-notice')).to.contain('you change your own part');
      const hrefs = overview.hrefs();
      expect(
        hrefs.filter((h) => /\/(invite|remove|withdraw)$/.test(h) || h.includes(`/partners/${trustId}`)),
      ).to.deep.equal([]);
      expect(overview.formActions().filter((a) => a.startsWith(`/bids/${bid.id}`))).to.deep.equal([]);
      expect(overview.has('consortium')).to.equal(false);
      // A section reads as the lead wrote it in the draft, with no form and no change link.
      const section = await page(college, `/bids/${bid.id}/narratives`);
      expect(section.formActions().filter((a) => a.startsWith(`/bids/${bid.id}`))).to.deep.equal([]);
      expect(section.text()).to.contain('People with common mental health conditions fall between services.');
      expect(section.text()).not.to.contain('Change');
      const check = await page(college, `/bids/${bid.id}/check`);
      expect(check.formActions()).not.to.include(`/bids/${bid.id}/submit`);
    });

    it('saves their row and lines from the part page, leaving every other part as it was', async () => {
      const fields = await partForm(college, collegeId, {
        'partner-esfPence': '210,000.00',
        'matchFunding-0-funder': 'College reserves',
        'matchFunding-0-sector': 'public',
        'matchFunding-0-kind': 'cash',
        'matchFunding-0-amountPence': '300,000',
        'matchFunding-0-status': 'pending',
      });
      const saved = await follow(college, await post(college, partPath(collegeId), fields, partPath(collegeId)));
      expect(saved.successBanner()).to.match(/^The part was saved/);
      const after = await draft();
      expect(after.partners![1]).to.include({ name: 'Derby College', esfPence: 21_000_000 });
      expect(after.partners![0]).to.deep.equal(bid.partners[0]);
      expect(after.partners![2]).to.deep.equal(bid.partners[2]);
      expect(after.matchFunding!.map((l) => [l.funder, l.partnerId ?? null])).to.deep.equal([
        ['Derby City Council', null],
        ['Volunteer time', null],
        ['College reserves', collegeId],
      ]);
    });

    it('keeps what they typed beside what was saved when the part changed since the page was drawn', async () => {
      const fields = await partForm(college, collegeId, { 'partner-esfPence': '111,111.00' });
      // The lead changes the college's part meanwhile; the trust's part changing too would not conflict.
      await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/${collegeId}`)
        .send({ partner: { name: 'Derby College Group', type: 'education', esfPence: 1, matchPence: 2 } })
        .expect(200);
      const before = await snapshot();
      const refused = await post(college, partPath(collegeId), fields, partPath(collegeId));
      expect(refused.status).to.equal(409);
      const shown = parsePage(refused.text);
      expect(shown.has('conflict')).to.equal(true);
      expect(shown.fieldValue('partner-esfPence')).to.equal('111,111.00');
      expect(shown.fieldValue('partner-name')).to.equal('Derby College');
      expect(shown.text('#answers-part')).to.contain('Derby College Group');
      expect(await snapshot()).to.deep.equal(before);
      // Saving again from the conflict page replaces what is saved.
      const again = parsePage(refused.text).hiddenFields(`form[action="${partPath(collegeId)}"]`);
      await follow(college, await post(college, partPath(collegeId), { ...fields, ...again }, partPath(collegeId)));
      expect((await draft()).partners![1]).to.include({ name: 'Derby College', esfPence: 11_111_100 });
    });

    it('lets one of two saves of a part drawn at one revision win; the other is shown the conflict', async () => {
      const mine = await partForm(college, collegeId, { 'partner-esfPence': '1,111.00', 'partner-name': 'College A' });
      const theirs = await partForm(lead, collegeId, { 'partner-esfPence': '2,222.00', 'partner-name': 'College B' });
      const [a, b] = await Promise.all([
        college.agent.post(partPath(collegeId)).type('form').send(mine),
        lead.agent.post(partPath(collegeId)).type('form').send(theirs),
      ]);
      expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
      const saved = (await draft()).partners![1];
      // The winner's write whole, never a mixture.
      const winner =
        a.status === 303 ? { name: 'College A', esfPence: 111_100 } : { name: 'College B', esfPence: 222_200 };
      expect(saved).to.include(winner);
      const loser = parsePage((a.status === 409 ? a : b).text);
      expect(loser.has('conflict')).to.equal(true);
      expect(loser.text('#answers-part')).to.contain(winner.name);
    });

    it("saves over another partner's change meanwhile: only a change to this part is a conflict", async () => {
      const fields = await partForm(college, collegeId, { 'partner-esfPence': '123,000.00' });
      await lead.agent
        .put(`/api/v1/bids/${bid.id}/partners/${trustId}`)
        .send({ partner: { name: 'Third Sector Trust', type: 'vcs', esfPence: 5, matchPence: 5 } })
        .expect(200);
      await follow(college, await post(college, partPath(collegeId), fields, partPath(collegeId)));
      const after = await draft();
      expect(after.partners![1].esfPence).to.equal(12_300_000);
      expect(after.partners![2].esfPence).to.equal(5);
    });

    it('refuses a typo in money (422, linked to its input) and saves nothing', async () => {
      const fields = await partForm(college, collegeId, { 'partner-matchPence': 'lots' });
      const before = await snapshot();
      const refused = await post(college, partPath(collegeId), fields, partPath(collegeId));
      expect(refused.status).to.equal(422);
      const shown = parsePage(refused.text);
      expect(shown.errorFor('#partner-matchPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(shown.fieldValue('partner-matchPence')).to.equal('lots');
      expect(await snapshot()).to.deep.equal(before);
    });

    it("refuses (403) a partner member's post to another partner's part, and changes nothing", async () => {
      await page(college, partPath(trustId), 403);
      await page(college, partPath(bid.partners[0].id!), 403);
      const fields = await partForm(college, collegeId, { 'partner-name': 'Hijacked' });
      const before = await snapshot();
      expect((await post(college, partPath(trustId), fields, partPath(collegeId))).status).to.equal(403);
      expect(
        (await post(college, `/bids/${bid.id}/partners/${trustId}/complete`, {}, partPath(collegeId))).status,
      ).to.equal(403);
      // Nor the whole-bid pages and actions only the lead has.
      for (const path of [`/bids/${bid.id}/details`, `/bids/${bid.id}/submit`, `/bids/${bid.id}/withdraw`])
        expect((await post(college, path, {}, partPath(collegeId))).status, path).to.equal(404);
      for (const path of [`/bids/${bid.id}/partners/${trustId}/invite`, `/bids/${bid.id}/partners/${trustId}/remove`]) {
        expect((await college.agent.get(path)).status, path).to.equal(404);
        expect((await post(college, path, { email: 'x@y.example' }, partPath(collegeId))).status, path).to.equal(404);
      }
      expect(await snapshot()).to.deep.equal(before);
    });

    it('marks the part complete, and a later change to it marks it incomplete again', async () => {
      const drawn = await page(college, partPath(collegeId));
      expect(drawn.formActions()).to.include(`/bids/${bid.id}/partners/${collegeId}/complete`);
      const done = await follow(
        college,
        await post(college, `/bids/${bid.id}/partners/${collegeId}/complete`, {}, partPath(collegeId)),
      );
      expect(done.successBanner()).to.match(/^Derby College's part is marked complete/);
      expect(done.taskList()[0].status).to.equal('Completed');
      expect((await draft()).partners![1].completedAt).to.be.a('string');
      const completePage = await page(college, partPath(collegeId));
      expect(completePage.textOf('part-status')).to.match(/^Complete Marked complete on/);
      expect(completePage.formActions()).not.to.include(`/bids/${bid.id}/partners/${collegeId}/complete`);

      const fields = await partForm(college, collegeId, { 'partner-esfPence': '199,999.00' });
      await follow(college, await post(college, partPath(collegeId), fields, partPath(collegeId)));
      expect((await draft()).partners![1].completedAt).to.equal(null);
      expect((await page(college, `/bids/${bid.id}`)).taskList()[0].status).to.equal('Incomplete');
    });

    it("lets the lead's members open and change any partner's part, without marking it complete for them", async () => {
      const drawn = await page(lead, partPath(collegeId));
      expect(drawn.heading()).to.equal("Derby College's part");
      expect(drawn.formActions()).not.to.include(`/bids/${bid.id}/partners/${collegeId}/complete`);
      const fields = await partForm(lead, trustId, { 'partner-esfPence': '1,000.00' });
      await follow(lead, await post(lead, partPath(trustId), fields, partPath(trustId)));
      expect((await draft()).partners![2].esfPence).to.equal(100_000);
    });

    it('shows the part read-only once the call has closed, and refuses a save (409)', async () => {
      const fields = await partForm(college, collegeId, { 'partner-esfPence': '1.00' });
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      const closed = await page(college, partPath(collegeId));
      expect(closed.formActions().filter((a) => a.startsWith(`/bids/${bid.id}`))).to.deep.equal([]);
      expect(closed.textOf('closed-notice')).to.match(/^The call closed on /);
      const before = await snapshot();
      const refused = await college.agent
        .post(partPath(collegeId))
        .type('form')
        .send({ ...fields, _csrf: fields._csrf });
      expect(refused.status).to.equal(409);
      expect(await snapshot()).to.deep.equal(before);
    });
  });

  describe("a partner's own evidence letters", () => {
    const collegeLine = {
      partner: { name: 'Derby College', type: 'education', esfPence: 20_000_000, matchPence: 30_000_000 },
      matchFunding: [
        { funder: 'College reserves', sector: 'public', kind: 'cash', amountPence: 30_000_000, status: 'secured' },
      ],
    };
    const attachments = () => test.knex('attachments').where({ bidId: bid.id }).orderBy('createdAt');
    const upload = async (who: TestUser, partnerId: string, line?: string) => {
      const token = await csrfTokenFrom(who.agent, partPath(collegeId));
      const request = who.agent.post(`/bids/${bid.id}/partners/${partnerId}/attachments`).field('_csrf', token);
      if (line !== undefined) request.field('line', line);
      return request.attach('file', aPdf('The college commits £300,000'), 'college-letter.pdf');
    };

    it('uploads a letter on the part page, tied to the part, linked to its line, clearing completion', async () => {
      await college.agent.put(`/api/v1/bids/${bid.id}/partners/${collegeId}`).send(collegeLine).expect(200);
      await college.agent.post(`/api/v1/bids/${bid.id}/partners/${collegeId}/complete`).expect(200);
      const form = await page(college, partPath(collegeId));
      expect(form.texts('#line option')).to.deep.equal(['Do not link it to a line yet', 'College reserves']);
      const done = await follow(college, await upload(college, collegeId, '2'));
      expect(done.successBanner()).to.equal('Uploaded college-letter.pdf as the evidence for College reserves.');
      const [stored] = await attachments();
      expect(stored).to.include({ partnerId: collegeId, purpose: 'match-evidence', filename: 'college-letter.pdf' });
      const after = await draft();
      expect(after.matchFunding![2]).to.include({ funder: 'College reserves', evidenceAttachmentId: stored.id });
      expect(after.partners![1].completedAt).to.equal(null);
      expect(done.tableRowLinkingTo(`/bids/${bid.id}/files/${stored.id}`)).to.deep.equal([
        'college-letter.pdf',
        '1 KB',
        'Remove college-letter.pdf',
      ]);
    });

    it("never links a partner's letter to a line of another part", async () => {
      await upload(college, collegeId, '0');
      const [stored] = await attachments();
      expect(stored.partnerId).to.equal(collegeId);
      expect((await draft()).matchFunding![0].evidenceAttachmentId).to.equal(undefined);
    });

    it("refuses (403) a partner member's upload to another part, and stores nothing", async () => {
      const before = await snapshot();
      expect((await upload(college, trustId)).status).to.equal(403);
      await college.agent
        .post(`/api/v1/bids/${bid.id}/attachments`)
        .field('partnerId', trustId)
        .attach('file', aPng(), 'x.png')
        .expect(403);
      expect(await snapshot()).to.deep.equal(before);
    });

    it("lets a partner member remove its own files, never the lead's or another partner's (403)", async () => {
      const leads = (
        await lead.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'lead.png').expect(201)
      ).body;
      expect(leads.partnerId).to.equal(undefined);
      const trusts = (
        await lead.agent
          .post(`/api/v1/bids/${bid.id}/attachments`)
          .field('partnerId', trustId)
          .attach('file', aPng(), 'trust.png')
          .expect(201)
      ).body;
      expect(trusts.partnerId).to.equal(trustId);
      const own = (
        await college.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'own.png').expect(201)
      ).body;
      expect(own.partnerId).to.equal(collegeId);

      const before = await snapshot();
      await college.agent.delete(`/api/v1/bids/${bid.id}/attachments/${leads.id}`).expect(403);
      await college.agent.delete(`/api/v1/bids/${bid.id}/attachments/${trusts.id}`).expect(403);
      for (const file of [leads, trusts]) {
        const path = `/bids/${bid.id}/partners/${collegeId}/files/${file.id}/remove`;
        expect((await post(college, path, {}, partPath(collegeId))).status).to.equal(403);
      }
      expect(
        (await post(college, `/bids/${bid.id}/files/${leads.id}/remove`, {}, partPath(collegeId))).status,
      ).to.equal(403);
      expect(await snapshot()).to.deep.equal(before);

      // The part page lists its own file with a remove button, and not the lead's.
      const part = await page(college, partPath(collegeId));
      expect(part.hrefs()).not.to.include(`/bids/${bid.id}/files/${leads.id}`);
      const removed = await follow(
        college,
        await post(college, `/bids/${bid.id}/partners/${collegeId}/files/${own.id}/remove`, {}, partPath(collegeId)),
      );
      expect(removed.successBanner()).to.equal('The file was removed.');
      expect((await attachments()).map((a) => a.id)).to.have.members([leads.id, trusts.id]);
      // The lead removes any part's file.
      await lead.agent.delete(`/api/v1/bids/${bid.id}/attachments/${trusts.id}`).expect(204);
    });

    it("refuses a partner member's upload after the deadline, even while a clarification asks for them", async () => {
      await college.agent.post(`/api/v1/bids/${bid.id}/partners/${collegeId}/complete`).expect(200);
      await lead.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      await officer.agent
        .post(`/api/v1/bids/${bid.id}/clarifications`)
        .send({
          question: 'Please send the letters of commitment for your match.',
          sections: ['match-funding'],
          respondBy: new Date(Date.parse(call.closesAt) + 3_600_000).toISOString(),
        })
        .expect(201);
      const before = await snapshot();
      const refused = await college.agent
        .post(`/api/v1/bids/${bid.id}/attachments`)
        .attach('file', aPng(), 'late.png')
        .expect(409);
      expect(refused.body.error.message).to.match(/^The call closed on .*; the bid can no longer be changed$/);
      expect(await snapshot()).to.deep.equal(before);
      // The lead, who answers the clarification, still can.
      await lead.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'letter.png').expect(201);
    });

    it("keeps a partner's letter that its line points at (409 on the part page, nothing removed)", async () => {
      await college.agent.put(`/api/v1/bids/${bid.id}/partners/${collegeId}`).send(collegeLine).expect(200);
      await upload(college, collegeId, '2');
      const [stored] = await attachments();
      const before = await snapshot();
      const refused = await post(
        college,
        `/bids/${bid.id}/partners/${collegeId}/files/${stored.id}/remove`,
        {},
        partPath(collegeId),
      );
      expect(refused.status).to.equal(409);
      expect(parsePage(refused.text).errorFor('#files')).to.match(/^A match-funding line points at that file/);
      expect(await snapshot()).to.deep.equal(before);
    });
  });
});

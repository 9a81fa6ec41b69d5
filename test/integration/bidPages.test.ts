import { expect } from 'chai';
import { aBidBody } from '../support/builders.ts';
import { anApplicant, anOfficer, anonymous, useTestApp, type TestUser, aPublishedCall } from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { csrfTokenFrom, parsePage } from '../support/pages.ts';
import { aPdf } from '../support/files.ts';
import type { BidFields } from '../../server/bids/types.ts';

describe("pages: the applicant's bid", () => {
  const test = useTestApp();
  let officer: TestUser;
  let applicant: TestUser;
  let call: { id: string; title: string; closesAt: string };

  beforeEach(async () => {
    officer = await anOfficer(test);
    applicant = await anApplicant(test);
    call = await aPublishedCall(officer);
  });

  async function aBid(body: BidFields = aBidBody(), who = applicant): Promise<{ id: string; reference: string }> {
    return (await who.agent.post(`/api/v1/calls/${call.id}/bids`).send(body).expect(201)).body;
  }

  async function draftOf(id: string): Promise<BidFields> {
    return (await test.knex('bids').where({ id }).first()).draft;
  }

  async function post(who: TestUser, path: string, fields: Record<string, string | string[]>, tokenPage = path) {
    const token = await csrfTokenFrom(who.agent, tokenPage);
    return who.agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  describe('who may see the pages', () => {
    it("answers another organisation's bid with 404", async () => {
      const bid = await aBid();
      const other = await anApplicant(test);
      expect((await other.agent.get(`/bids/${bid.id}`)).status).to.equal(404);
      expect((await other.agent.get(`/bids/${bid.id}/partners`)).status).to.equal(404);
      expect((await other.agent.get(`/bids/${bid.id}/check`)).status).to.equal(404);
    });

    it('refuses officers the applicant pages with 403', async () => {
      const bid = await aBid();
      for (const path of ['/dashboard', `/bids/${bid.id}`, `/bids/${bid.id}/budget`, `/calls/${call.id}/bids/new`]) {
        const page = await officer.agent.get(path);
        expect(page.status, path).to.equal(403);
        expect(parsePage(page.text).heading()).to.equal('You cannot see this page');
      }
    });

    it('sends someone not signed in to the sign-in page', async () => {
      const bid = await aBid();
      const page = await anonymous(test).get(`/bids/${bid.id}`);
      expect(page.status).to.equal(303);
      expect(page.headers.location).to.equal('/sign-in');
    });

    it('refuses a form post without a CSRF token and changes nothing', async () => {
      const bid = await aBid();
      const before = await snapshot();
      const response = await applicant.agent.post(`/bids/${bid.id}/details`).type('form').send({ title: 'Hijacked' });
      expect(response.status).to.equal(403);
      const submit = await applicant.agent.post(`/bids/${bid.id}/submit`).type('form').send({});
      expect(submit.status).to.equal(403);
      expect(await snapshot()).to.deep.equal(before);
    });
  });

  describe('dashboard and starting a bid', () => {
    it("lists the organisation's bids with status tags and the open calls", async () => {
      const bid = await aBid();
      await aBid({ title: "Someone else's" }, await anApplicant(test));
      const page = parsePage((await applicant.agent.get('/dashboard').expect(200)).text);
      expect(page.$(`table a[href="/bids/${bid.id}"]`).text()).to.equal('Working Well Together');
      expect(page.tableRows()).to.have.length(1);
      expect(page.texts('table .govuk-tag.govuk-tag--grey')).to.deep.equal(['Draft']);
      expect(page.text('body')).not.to.contain('Someone else');
      expect(page.hrefs()).to.include(`/calls/${call.id}/bids/new`);
    });

    it('offers applicants a start button on an open call, and nobody else', async () => {
      const startLinks = async (who: TestUser['agent']) =>
        parsePage((await who.get(`/calls/${call.id}`).expect(200)).text)
          .hrefs()
          .filter((href) => href.includes('/bids/new'));
      expect(await startLinks(applicant.agent)).to.deep.equal([`/calls/${call.id}/bids/new`]);
      expect(await startLinks(anonymous(test))).to.deep.equal([]);
      expect(await startLinks(officer.agent)).to.deep.equal([]);
    });

    it('starts a bid with its title and opens its task list', async () => {
      const response = await post(
        applicant,
        `/calls/${call.id}/bids`,
        { title: 'Pathways to Work' },
        `/calls/${call.id}/bids/new`,
      );
      expect(response.status).to.equal(303);
      const bid = await test.knex('bids').first();
      expect(response.headers.location).to.equal(`/bids/${bid.id}`);
      expect(bid.draft).to.deep.equal({ title: 'Pathways to Work' });
      const page = parsePage((await applicant.agent.get(`/bids/${bid.id}`).expect(200)).text);
      expect(page.taskList().map((task) => task.href)).to.include(`/bids/${bid.id}/details`);
      expect(page.successBanner()).to.match(/^You started the bid /);
    });

    it('asks for the title when it is left blank', async () => {
      const response = await post(applicant, `/calls/${call.id}/bids`, { title: ' ' }, `/calls/${call.id}/bids/new`);
      expect(response.status).to.equal(422);
      expect(parsePage(response.text).errorFor('#title')).to.equal("Enter the bid's title");
      expect(await test.knex('bids').count()).to.deep.equal([{ count: 0 }]);
    });
  });

  describe('the task list', () => {
    it("derives each section's status from what the bid holds", async () => {
      const bid = await aBid({ title: 'Half done', partners: [aBidBody().partners![1]] });
      const tasks = parsePage((await applicant.agent.get(`/bids/${bid.id}`).expect(200)).text).taskList();
      const status = (section: string) => tasks.find((task) => task.href === `/bids/${bid.id}/${section}`)?.status;
      expect(status('details')).to.equal('Incomplete');
      expect(status('partners')).to.equal('Incomplete'); // no lead
      expect(status('budget')).to.equal('Not yet started');
      expect(status('documents')).to.equal('Optional');

      const complete = await aBid();
      const done = parsePage((await applicant.agent.get(`/bids/${complete.id}`).expect(200)).text);
      expect(done.text()).to.contain('You have completed 6 of 7 sections'); // the secured match line has no letter yet
    });
  });

  describe('saving a section', () => {
    it('reads money typed as people type it into exact pence, keeping the rest of the draft', async () => {
      const bid = await aBid({ title: 'Budget test' });
      const response = await post(applicant, `/bids/${bid.id}/budget`, {
        'priorities-0-esfPence': '£450,000',
        'priorities-1-esfPence': '',
        'priorities-2-esfPence': '150000.00',
        totalEligibleCostPence: '1,200,000',
      });
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/bids/${bid.id}`);
      expect(await draftOf(bid.id)).to.deep.equal({
        title: 'Budget test',
        priorities: [
          { code: '1.1', esfPence: 45_000_000 },
          { code: '2.1', esfPence: 15_000_000 },
        ],
        totalEligibleCostPence: 120_000_000,
      });
      const form = parsePage((await applicant.agent.get(`/bids/${bid.id}/budget`).expect(200)).text);
      expect(form.$('input#priorities-0-esfPence').attr('name')).to.equal('priorities-0-esfPence');
      expect(form.fieldValue('priorities-0-esfPence')).to.equal('450,000.00');
    });

    it(
      'keeps both of two sections saved at once from two tabs: each goes into the draft as it ' + 'stands when saved',
      async () => {
        const bid = await aBid({ title: 'Two tabs' });
        const _csrf = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/budget`);
        const [budget, details] = await Promise.all([
          applicant.agent
            .post(`/bids/${bid.id}/budget`)
            .type('form')
            .send({ _csrf, 'priorities-0-esfPence': '450,000', totalEligibleCostPence: '900,000' }),
          applicant.agent
            .post(`/bids/${bid.id}/details`)
            .type('form')
            .send({ _csrf, title: 'Two tabs', summary: 'Saved from the other tab' }),
        ]);
        expect([budget.status, details.status]).to.deep.equal([303, 303]);
        const draft = await draftOf(bid.id);
        expect(draft.totalEligibleCostPence).to.equal(90_000_000);
        expect(draft.summary).to.equal('Saved from the other tab');
      },
    );

    it('answers a typo in money with an error summary linked to the field, and saves nothing', async () => {
      const bid = await aBid({ title: 'Budget test' });
      const response = await post(applicant, `/bids/${bid.id}/budget`, {
        'priorities-0-esfPence': '£45O,000',
        totalEligibleCostPence: '',
      });
      expect(response.status).to.equal(422);
      const page = parsePage(response.text);
      expect(page.title()).to.match(/^Error: Priorities and budget/);
      expect(page.errorFor('#priorities-0-esfPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(page.textOf('priorities-0-esfPence-error')).to.equal('Error: Enter an amount in pounds, like £500,000.00');
      expect(page.fieldValue('priorities-0-esfPence')).to.equal('£45O,000');
      expect(await draftOf(bid.id)).to.deep.equal({ title: 'Budget test' });
    });

    it("shows the API's own messages on the row of the form they are about", async () => {
      const bid = await aBid({ title: 'Partners test' });
      const response = await post(applicant, `/bids/${bid.id}/partners`, {
        'partners-0-name': '',
        'partners-0-type': '',
        'partners-1-name': 'Derby College',
        'partners-1-type': 'education',
        'partners-1-role': 'lead',
        'partners-1-charityNumber': 'not-a-number',
        'partners-1-esfPence': '200,000',
        'partners-1-matchPence': '300,000',
      });
      expect(response.status).to.equal(422);
      const api = await applicant.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send({
          partners: [
            {
              name: 'Derby College',
              type: 'education',
              role: 'lead',
              charityNumber: 'not-a-number',
              esfPence: 1,
              matchPence: 1,
            },
          ],
        })
        .expect(422);
      const message = api.body.error.details[0].message as string;
      expect(api.body.error.details[0].path).to.equal('/partners/0/charityNumber');
      expect(parsePage(response.text).errorFor('#partners-1-charityNumber')).to.equal(message);
    });

    it("shows typos and the schema's problems together, without calling a mistyped amount missing", async () => {
      const bid = await aBid({ title: 'Partners test' });
      const response = await post(applicant, `/bids/${bid.id}/partners`, {
        'partners-0-name': 'Derby Community Partnership',
        'partners-0-type': 'vcs',
        'partners-0-role': 'lead',
        'partners-0-esfPence': '£4oo,000',
        'partners-0-matchPence': '300,000',
        'partners-1-name': 'Derby College',
        'partners-1-type': 'education',
        'partners-1-role': 'delivery',
        'partners-1-companyNumber': '123',
        'partners-1-esfPence': '200,000',
        'partners-1-matchPence': '300,000',
      });
      expect(response.status).to.equal(422);
      const page = parsePage(response.text);
      expect(page.errorFor('#partners-0-esfPence')).to.equal('Enter an amount in pounds, like £500,000.00');
      expect(page.errorFor('#partners-1-companyNumber')).to.be.a('string').and.not.equal('');
      expect(page.text('body')).not.to.contain('Required field "esfPence" is missing');
      expect(await draftOf(bid.id)).to.deep.equal({ title: 'Partners test' });
    });

    it('adds blank rows on request, and keeps working without JavaScript', async () => {
      const bid = await aBid();
      const response = await post(applicant, `/bids/${bid.id}/targets`, {
        'outputTargets-0-indicator': 'P-TOTAL',
        'outputTargets-0-target': '600',
        'resultTargets-0-indicator': '',
        'resultTargets-0-target': '',
        another: '1',
      });
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/bids/${bid.id}/targets?extra=2`);
      const draft = await draftOf(bid.id);
      expect(draft.outputTargets).to.deep.equal([{ indicator: 'P-TOTAL', target: 600 }]);
      expect(draft.resultTargets).to.equal(undefined);
      const page = parsePage((await applicant.agent.get(response.headers.location).expect(200)).text);
      expect(page.has('outputTargets-2-indicator')).to.equal(true);
      expect(page.has('outputTargets-3-indicator')).to.equal(false);
    });
  });

  describe('match funding evidence', () => {
    it("uploads a letter with the CSRF token in the form's first field and links it to its line", async () => {
      const bid = await aBid();
      const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/match-funding`);
      const response = await applicant.agent
        .post(`/bids/${bid.id}/attachments?section=match-funding`)
        .field('_csrf', token)
        .field('line', '0')
        .attach('file', aPdf('Derby City Council commits £400,000'), 'council-letter.pdf');
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/bids/${bid.id}/match-funding`);
      const stored = await test.knex('attachments').where({ bidId: bid.id }).first();
      expect(stored).to.include({ filename: 'council-letter.pdf', purpose: 'match-evidence' });
      expect((await draftOf(bid.id)).matchFunding![0].evidenceAttachmentId).to.equal(stored.id);

      const page = parsePage((await applicant.agent.get(`/bids/${bid.id}/match-funding`).expect(200)).text);
      expect(page.successBanner()).to.equal(
        'Uploaded council-letter.pdf as the evidence for line 1: Derby City Council.',
      );
      expect(page.$(`#files a[href="/bids/${bid.id}/files/${stored.id}"]`).text()).to.equal('council-letter.pdf');
      const download = await applicant.agent.get(`/bids/${bid.id}/files/${stored.id}`).expect(200);
      expect(download.headers['content-disposition']).to.match(/^attachment; filename="?council-letter\.pdf"?$/);
    });

    it(
      'stores a letter and its link to the line in one transaction: if the link fails, the file ' + 'goes too',
      async () => {
        const bid = await aBid();
        const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/match-funding`);
        // The link is the draft's change: make every change of a draft fail, as a lost connection would.
        await test.knex.raw(`create function refuse_draft_change() returns trigger language plpgsql as $$
        begin raise exception 'the draft cannot change'; end $$`);
        await test.knex.raw(`create trigger refuse_draft_change before update of draft on bids
        for each row execute function refuse_draft_change()`);
        try {
          const response = await applicant.agent
            .post(`/bids/${bid.id}/attachments?section=match-funding`)
            .field('_csrf', token)
            .field('line', '0')
            .attach('file', aPdf('Derby City Council commits £400,000'), 'council-letter.pdf');
          expect(response.status).to.equal(500);
        } finally {
          await test.knex.raw('drop trigger refuse_draft_change on bids');
          await test.knex.raw('drop function refuse_draft_change()');
        }
        expect(await test.knex('attachments').where({ bidId: bid.id })).to.deep.equal([]);
        const actions = (await test.knex('auditEvents').where({ bidId: bid.id })).map((e) => e.action);
        expect(actions).to.deep.equal(['bid.created']);
        expect((await draftOf(bid.id)).matchFunding![0].evidenceAttachmentId).to.equal(undefined);
      },
    );

    it('refuses an upload without the CSRF token before reading it', async () => {
      const bid = await aBid();
      const response = await applicant.agent
        .post(`/bids/${bid.id}/attachments?section=match-funding`)
        .attach('file', aPdf(), 'letter.pdf');
      expect(response.status).to.equal(403);
      expect(await test.knex('attachments').count()).to.deep.equal([{ count: 0 }]);
    });

    it(
      'refuses an upload whose token is in the address, or comes after the file, before reading ' + 'the file',
      async () => {
        const bid = await aBid();
        const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/documents`);
        // Over 20 MB: read, it would be refused as too large (413) rather than as forged.
        const big = aPdf('big', 21 * 1024 * 1024);
        const inUrl = await applicant.agent
          .post(`/bids/${bid.id}/attachments?section=documents&_csrf=${token}`)
          .attach('file', big, 'a.pdf');
        expect(inUrl.status).to.equal(403);
        const afterFile = await applicant.agent
          .post(`/bids/${bid.id}/attachments?section=documents`)
          .attach('file', big, 'a.pdf')
          .field('_csrf', token);
        expect(afterFile.status).to.equal(403);
        expect(await test.knex('attachments').count()).to.deep.equal([{ count: 0 }]);
      },
    );

    it('refuses a multipart post to a page that takes no upload, whatever it carries', async () => {
      const bid = await aBid();
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}`);
      const response = await applicant.agent.post(`/bids/${bid.id}/withdraw`).field('_csrf', token).field('x', 'y');
      expect(response.status).to.equal(403);
      expect((await applicant.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body.status).to.equal('submitted');
    });

    it("answers a stranger's upload with 404 before reading it, not with what its bytes would earn", async () => {
      const bid = await aBid();
      const stranger = await anApplicant(test);
      const token = await csrfTokenFrom(stranger.agent, '/dashboard');
      const tooBig = await stranger.agent
        .post(`/bids/${bid.id}/attachments?section=documents`)
        .field('_csrf', token)
        .attach('file', aPdf('big', 21 * 1024 * 1024), 'a.pdf');
      expect(tooBig.status).to.equal(404);
      const wrongKind = await stranger.agent
        .post(`/bids/${bid.id}/attachments?section=documents`)
        .field('_csrf', token)
        .attach('file', Buffer.from('text'), 'a.pdf');
      expect(wrongKind.status).to.equal(404);
      expect(await test.knex('attachments').count()).to.deep.equal([{ count: 0 }]);
    });

    it('shows a file of the wrong kind as an error linked to the file input', async () => {
      const bid = await aBid();
      const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/documents`);
      const response = await applicant.agent
        .post(`/bids/${bid.id}/attachments?section=documents`)
        .field('_csrf', token)
        .attach('file', Buffer.from('just text'), 'notes.pdf');
      expect(response.status).to.equal(415);
      expect(parsePage(response.text).errorFor('#file')).to.equal('Upload a PDF, DOCX, XLSX, ODT, PNG or JPEG file');
    });

    it('removes a supporting document, and keeps a letter a match line points at, saying why', async () => {
      const bid = await aBid();
      const upload = async (section: string, line?: string) => {
        const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/${section}`);
        const request = applicant.agent.post(`/bids/${bid.id}/attachments?section=${section}`).field('_csrf', token);
        if (line) request.field('line', line);
        await request.attach('file', aPdf(), `${section}.pdf`).expect(303);
        return (
          await test
            .knex('attachments')
            .where({ filename: `${section}.pdf` })
            .first()
        ).id as string;
      };
      const plan = await upload('documents');
      const letter = await upload('match-funding', '0');

      const removed = await post(
        applicant,
        `/bids/${bid.id}/files/${plan}/remove`,
        { section: 'documents' },
        `/bids/${bid.id}/documents`,
      );
      expect(removed.status).to.equal(303);
      expect(await test.knex('attachments').where({ id: plan }).first()).to.equal(undefined);

      const kept = await post(
        applicant,
        `/bids/${bid.id}/files/${letter}/remove`,
        { section: 'match-funding' },
        `/bids/${bid.id}/match-funding`,
      );
      expect(kept.status).to.equal(409);
      expect(parsePage(kept.text).errorFor('#files')).to.equal(
        'A match-funding line points at that file as its evidence; change the line first',
      );
      expect(await test.knex('attachments').where({ id: letter }).first()).to.not.equal(undefined);
    });
  });

  describe('check your answers and submit', () => {
    it('submits a complete bid and shows the receipt and the gateway check by check', async () => {
      const bid = await aBid();
      const check = parsePage((await applicant.agent.get(`/bids/${bid.id}/check`).expect(200)).text);
      expect(check.$('#answers-partners .govuk-summary-list__actions a').first().attr('href')).to.equal(
        `/bids/${bid.id}/partners#partners-0-name`,
      );
      expect(check.text('#answers-partners .govuk-summary-list__value')).to.contain(
        'ESF £400,000.00 · match £300,000.00',
      );

      const response = await post(applicant, `/bids/${bid.id}/submit`, {}, `/bids/${bid.id}/check`);
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal(`/bids/${bid.id}/submitted`);
      const version = await test.knex('bid_versions').where({ bidId: bid.id }).first();
      const page = parsePage((await applicant.agent.get(`/bids/${bid.id}/submitted`).expect(200)).text);
      expect(page.heading()).to.equal('Bid submitted');
      expect(page.summaryValue('Bid reference', '#receipt')).to.equal(bid.reference);
      expect(page.summaryValue('SHA-256', '#receipt')).to.equal(version.sha256);
      const deadline = page.tableRows().find(([check]) => check === 'Submitted by the deadline');
      expect(deadline?.[1]).to.equal('Passed');
      expect(page.texts('#gateway + p .govuk-tag--green')).to.deep.equal(['Passed']);
      expect(page.text('.govuk-inset-text')).to.contain('of match funding is pending');
    });

    it('shows what an incomplete bid lacks, each linked to its section page', async () => {
      const bid = await aBid({ title: 'Thin bid' });
      const response = await post(applicant, `/bids/${bid.id}/submit`, {}, `/bids/${bid.id}/check`);
      expect(response.status).to.equal(422);
      const page = parsePage(response.text);
      expect(page.errorFor(`/bids/${bid.id}/details#summary`)).to.equal('Enter a summary of the bid');
      expect(page.errorFor(`/bids/${bid.id}/narratives#narrative-need`)).to.equal('Write the need and gap section');
      expect(page.errorFor(`/bids/${bid.id}/partners#partners`))
        .to.be.a('string')
        .and.not.equal('');
      expect(await test.knex('bid_versions').count()).to.deep.equal([{ count: 0 }]);
    });

    it('withdraws a submitted bid after asking', async () => {
      const bid = await aBid();
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      const confirm = parsePage((await applicant.agent.get(`/bids/${bid.id}/withdraw`).expect(200)).text);
      expect(confirm.heading()).to.equal('Are you sure you want to withdraw Working Well Together?');
      const response = await post(applicant, `/bids/${bid.id}/withdraw`, {}, `/bids/${bid.id}/withdraw`);
      expect(response.status).to.equal(303);
      expect((await test.knex('bids').where({ id: bid.id }).first()).status).to.equal('withdrawn');
      const overview = parsePage((await applicant.agent.get(`/bids/${bid.id}`)).text);
      expect(overview.successBanner()).to.match(/^You withdrew /);
    });
  });

  describe('after the deadline', () => {
    it('shows everything read-only, with the submitted version, and refuses changes', async () => {
      const bid = await aBid();
      await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
      await applicant.agent
        .put(`/api/v1/bids/${bid.id}`)
        .send(aBidBody({ title: 'Edited, never resubmitted' }))
        .expect(200);
      const token = await csrfTokenFrom(applicant.agent, `/bids/${bid.id}/details`);
      test.clock.set(new Date(new Date(call.closesAt).getTime() + 1000));

      const overview = parsePage((await applicant.agent.get(`/bids/${bid.id}`).expect(200)).text);
      expect(overview.textOf('closed-notice')).to.match(/^The call closed on /);
      expect(overview.heading()).to.equal('Working Well Together');
      expect(overview.text('body')).not.to.contain('Check your answers and submit');
      const section = parsePage((await applicant.agent.get(`/bids/${bid.id}/details`).expect(200)).text);
      expect(section.textOf('closed-notice')).to.match(/^The call closed on /);
      expect(section.formActions()).not.to.include(`/bids/${bid.id}/details`);
      expect(section.text()).to.contain('Working Well Together');
      const check = parsePage((await applicant.agent.get(`/bids/${bid.id}/check`).expect(200)).text);
      expect(check.formActions()).not.to.include(`/bids/${bid.id}/submit`);
      // No change link in the page itself (the header's "Change password" is the person's, not the bid's).
      expect(check.texts('main a').filter((words) => words.startsWith('Change'))).to.deep.equal([]);

      const refused = await applicant.agent
        .post(`/bids/${bid.id}/details`)
        .type('form')
        .send({ _csrf: token, title: 'Late' });
      expect(refused.status).to.equal(409);
      expect((await draftOf(bid.id)).title).to.equal('Edited, never resubmitted');
    });
  });

  it('shows text people wrote as text', async () => {
    const bid = await aBid(aBidBody({ title: '<script>alert(1)</script>' }));
    for (const path of ['/dashboard', `/bids/${bid.id}`, `/bids/${bid.id}/check`, `/bids/${bid.id}/details`]) {
      const page = await applicant.agent.get(path).expect(200);
      expect(page.text, path).not.to.contain('<script>alert(1)</script>');
      expect(page.text, path).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

describe('pages: registration', () => {
  const test = useTestApp();

  const valid = {
    name: 'Amira Khan',
    email: 'amira@derby-partnership.example',
    password: 'a long enough passphrase',
    'organisation-name': 'Derby Community Partnership',
    'organisation-type': 'vcs',
    'organisation-charityNumber': '1164883',
    'organisation-companyNumber': '',
  };

  it('registers an applicant with their organisation and signs them in', async () => {
    const agent = anonymous(test);
    const token = await csrfTokenFrom(agent, '/register');
    const response = await agent
      .post('/register')
      .type('form')
      .send({ _csrf: token, ...valid });
    expect(response.status).to.equal(303);
    expect(response.headers.location).to.equal('/dashboard');
    const me = (await agent.get('/api/v1/me').expect(200)).body;
    expect(me).to.include({ email: valid.email, name: 'Amira Khan', role: 'applicant' });
    expect(me.organisation).to.include({ name: 'Derby Community Partnership', type: 'vcs', charityNumber: '1164883' });
    const dashboard = parsePage((await agent.get('/dashboard').expect(200)).text);
    expect(dashboard.successBanner()).to.match(/^Welcome, Amira Khan\. /);
  });

  it("shows the schema's problems linked to their fields, keeping what was typed but the password", async () => {
    const agent = anonymous(test);
    const token = await csrfTokenFrom(agent, '/register');
    const response = await agent
      .post('/register')
      .type('form')
      .send({ _csrf: token, ...valid, password: 'short', 'organisation-type': '' });
    expect(response.status).to.equal(422);
    const page = parsePage(response.text);
    expect(page.errorFor('#password')).to.be.a('string').and.not.equal('');
    expect(page.errorFor('#organisation-type')).to.equal('Required field "type" is missing');
    expect(page.fieldValue('organisation-name')).to.equal('Derby Community Partnership');
    expect(page.$('input[value="short"]')).to.have.length(0);
    expect(await test.knex('users').count()).to.deep.equal([{ count: 0 }]);
  });

  it('says when the e-mail address is taken', async () => {
    const existing = await anApplicant(test);
    const agent = anonymous(test);
    const token = await csrfTokenFrom(agent, '/register');
    const response = await agent
      .post('/register')
      .type('form')
      .send({ _csrf: token, ...valid, email: existing.email });
    expect(response.status).to.equal(409);
    expect(parsePage(response.text).errorFor('#email')).to.equal('An account with that e-mail address already exists');
  });
});

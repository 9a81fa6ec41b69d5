import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { callPageModel } from '../../server/calls/pages.ts';
import { keptPublishedCalls } from '../../server/calls/keptCalls.ts';
import { publicCallPages } from '../../server/calls/publicPage.ts';
import type { Call, Indicator } from '../../server/calls/types.ts';
import type { ChangeFeed } from '../../server/db/changeFeed.ts';
import { useViews } from '../../server/web/views.ts';
import { aCallBody } from '../support/builders.ts';
import {
  anApplicant,
  anOfficer,
  anonymous,
  buildTestApp,
  useTestApp,
  type PublishedCall,
  type TestApp,
  type TestUser,
  aPublishedCall,
} from '../support/app.ts';
import { parsePage } from '../support/pages.ts';

/** Counts the reads of published calls' rows the test database's pool runs (every app of a test shares it). */
function countRowReads(knex: TestApp['knex']): { reads(): number; stop(): void } {
  let reads = 0;
  const listener = (query: { sql: string }) => {
    if (query.sql.includes('published_fields is not null')) reads += 1;
  };
  knex.on('query', listener);
  return { reads: () => reads, stop: () => knex.removeListener('query', listener) };
}

/** Waits, up to two seconds, for `check` to hold; fails saying what it waited for. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited two seconds for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The status tag of a call page, e.g. "Open". */
function statusOf(html: string): string | undefined {
  return parsePage(html).tags()[0];
}

describe('pages: a published call as visitors who are not signed in see it (kept once rendered)', () => {
  const test = useTestApp();
  let officer: TestUser;
  let call: PublishedCall;
  beforeEach(async () => {
    officer = await anOfficer(test);
    call = await aPublishedCall(officer, { opensAt: '2026-01-01T09:00:00Z', closesAt: '2027-03-31T11:00:00Z' });
  });

  it('sends the next visitor the same page, byte for byte, as another process renders afresh', async () => {
    const first = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    const second = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    const other = buildTestApp();
    try {
      const fresh = await anonymous(other).get(`/calls/${call.id}`).expect(200);
      expect(second.text).to.equal(first.text);
      expect(fresh.text).to.equal(first.text);
      expect(second.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(second.headers.etag).to.equal(first.headers.etag).and.to.equal(fresh.headers.etag);
      expect(second.headers['content-security-policy']).to.contain("script-src 'self'");
    } finally {
      await other.close();
    }
    expect(parsePage(first.text).heading()).to.equal(call.title);
  });

  it("answers 304 to a visitor holding the page's tag, and the whole page once the call has changed", async () => {
    const first = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    const etag = first.headers.etag;
    expect(etag).to.match(/^W\/"/);
    await anonymous(test).get(`/calls/${call.id}`).set('If-None-Match', etag).expect(304);
    await officer.agent.post(`/api/v1/calls/${call.id}/close`).expect(200);
    const after = await anonymous(test).get(`/calls/${call.id}`).set('If-None-Match', etag).expect(200);
    expect(statusOf(after.text)).to.equal('Closed');
  });

  it(
    'shows the call open at its deadline and closed one millisecond later, from one rendered page ' + 'to the next',
    async () => {
      test.clock.set('2027-03-31T11:00:00.000Z');
      expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Open');
      expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Open');
      test.clock.set('2027-03-31T11:00:00.001Z');
      expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Closed');
    },
  );

  it('shows a stage another process wrote on the next view, before the change feed is heard from', async () => {
    expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Open');
    await test.knex('calls').where({ id: call.id }).update({ stage: 'decided' });
    const page = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    expect(statusOf(page.text)).to.equal('Decided');
    expect(parsePage(page.text).hrefs()).to.include(`/api/v1/calls/${call.id}/360giving.json`);
  });

  describe('with the change feed live, reading the row only when told of a change', () => {
    let rowReads: ReturnType<typeof countRowReads>;
    beforeEach(() => {
      rowReads = countRowReads(test.knex);
    });
    afterEach(() => rowReads.stop());

    /** Views the page until a view no longer reads the call's row (the feed is live and the page trusted). */
    async function untilTrusted(): Promise<void> {
      await eventually('a view that does not read the row', async () => {
        const before = rowReads.reads();
        await anonymous(test).get(`/calls/${call.id}`).expect(200);
        return rowReads.reads() === before;
      });
    }

    it('sends the kept page without reading the row, and a stage another process commits once heard', async () => {
      await untilTrusted();
      const before = rowReads.reads();
      for (let i = 0; i < 5; i++) await anonymous(test).get(`/calls/${call.id}`).expect(200);
      expect(rowReads.reads()).to.equal(before);
      await test.knex('calls').where({ id: call.id }).update({ stage: 'decided' });
      await eventually('the decided stage on the page', async () => {
        return statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text) === 'Decided';
      });
      expect(rowReads.reads()).to.be.greaterThan(before);
    });

    it("answers the API's call to anyone but an officer without reading the row, and a change once heard", async () => {
      const applicant = await anApplicant(test);
      const answer = async () => (await applicant.agent.get(`/api/v1/calls/${call.id}`).expect(200)).body;
      await eventually('an answer that does not read the row', async () => {
        const before = rowReads.reads();
        await answer();
        return rowReads.reads() === before;
      });
      const before = rowReads.reads();
      for (let i = 0; i < 5; i++) expect((await answer()).status).to.equal('open');
      expect(rowReads.reads()).to.equal(before);
      // The same answer as an officer's read of the row gives, less the officer's own keys.
      const officers = (await officer.agent.get(`/api/v1/calls/${call.id}`).expect(200)).body;
      expect(await answer()).to.deep.equal(
        Object.fromEntries(
          Object.entries(officers).filter(([key]) => key in (officers as object) && key !== 'warnings'),
        ),
      );
      await test.knex('calls').where({ id: call.id }).update({ stage: 'decided' });
      await eventually('the decided stage in the answer', async () => (await answer()).status === 'decided');
      expect(rowReads.reads()).to.be.greaterThan(before);
    });

    it('still gives the status the clock says on every view, without reading the row', async () => {
      test.clock.set('2027-03-31T11:00:00.000Z');
      await untilTrusted();
      const before = rowReads.reads();
      expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Open');
      test.clock.set('2027-03-31T11:00:00.001Z');
      expect(statusOf((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text)).to.equal('Closed');
      expect(rowReads.reads()).to.equal(before);
    });

    it('reads the row on every view while the feed is lost, and trusts the page again once it is back', async () => {
      await untilTrusted();
      const ended = await test.knex.raw(
        `select pg_terminate_backend(pid) as ended from pg_stat_activity where query = 'listen "call_changes"'`,
      );
      expect((ended as { rows: unknown[] }).rows).to.have.length.greaterThan(0);
      await eventually('a view that reads the row', async () => {
        const before = rowReads.reads();
        await anonymous(test).get(`/calls/${call.id}`).expect(200);
        return rowReads.reads() > before;
      });
      // Changed while nobody listens: no change is heard, and the next view shows it all the same.
      await test.knex.raw(
        `update calls set published_fields = jsonb_set(published_fields, '{title}', '"Renamed unheard"') where id = ?`,
        [call.id],
      );
      expect(parsePage((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text).heading()).to.equal(
        'Renamed unheard',
      );
      await untilTrusted();
    });
  });

  it('reads the row on every view when the change feed is off (CHANGE_FEED_DATABASE_URL=off)', async () => {
    const rowReads = countRowReads(test.knex);
    const off = buildTestApp({ CHANGE_FEED_DATABASE_URL: 'off' });
    try {
      for (let i = 0; i < 5; i++) await anonymous(off).get(`/calls/${call.id}`).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await anonymous(off).get(`/calls/${call.id}`).expect(200);
      expect(rowReads.reads()).to.equal(6);
      for (let i = 0; i < 3; i++) await anonymous(off).get(`/api/v1/calls/${call.id}`).expect(200);
      expect(rowReads.reads()).to.equal(9);
    } finally {
      rowReads.stop();
      await off.close();
    }
  });

  it('does not trust a page rendered while a change was heard: the next view reads the row', async () => {
    const listeners: Array<(payload: string) => void> = [];
    let heard = 0;
    const feed: ChangeFeed = {
      live: () => true,
      heard: () => heard,
      onChange: (listener) => listeners.push(listener),
      close: async () => {},
    };
    const hear = (payload: string) => {
      heard += 1;
      listeners.forEach((listener) => listener(payload));
    };
    const app = express();
    useViews(app);
    let renders = 0;
    const view = (shown: Call, catalogue: Indicator[]) => {
      // The change commits, and is heard, while the page is rendered from the row read before it.
      if ((renders += 1) === 1) hear(shown.id);
      return { name: 'calls/show', locals: { pageTitle: shown.title, ...callPageModel(shown, catalogue) } };
    };
    const pages = publicCallPages(test.ctx, view, { calls: keptPublishedCalls(test.ctx, feed) });
    app.get('/calls/:id', (req, res) => pages.send(req, res, req.params.id));
    await supertest(app).get(`/calls/${call.id}`).expect(200);
    await test.knex.raw(
      `update calls set published_fields = jsonb_set(published_fields, '{title}', '"Renamed meanwhile"') where id = ?`,
      [call.id],
    );
    const next = await supertest(app).get(`/calls/${call.id}`).expect(200);
    expect(parsePage(next.text).heading()).to.equal('Renamed meanwhile');
    // Rendered with nothing heard meanwhile, the page is trusted: a change nobody announced stays unseen.
    const unannounced = `jsonb_set(published_fields, '{title}', '"Renamed unannounced"')`;
    await test.knex.raw(`update calls set published_fields = ${unannounced} where id = ?`, [call.id]);
    const trusted = await supertest(app).get(`/calls/${call.id}`).expect(200);
    expect(parsePage(trusted.text).heading()).to.equal('Renamed meanwhile');
    hear(call.id);
    const told = await supertest(app).get(`/calls/${call.id}`).expect(200);
    expect(parsePage(told.text).heading()).to.equal('Renamed unannounced');
  });

  it('is kept by what the call holds, not by its id: changed published fields show on the next view', async () => {
    await anonymous(test).get(`/calls/${call.id}`).expect(200);
    await test.knex.raw(
      `update calls set published_fields = jsonb_set(published_fields, '{title}', to_jsonb(?::text)) where id = ?`,
      ['Renamed <by> another process', call.id],
    );
    const page = parsePage((await anonymous(test).get(`/calls/${call.id}`).expect(200)).text);
    // Read back as text, not as markup: an unescaped <by> would be an element, and not in the heading's text.
    expect(page.heading()).to.equal('Renamed <by> another process');
    expect(page.$('h1 by')).to.have.length(0);
  });

  it("is never sent to a signed-in visitor, nor a signed-in visitor's page to the public", async () => {
    const applicant = await anApplicant(test);
    const startsABid = (html: string) => parsePage(html).$(`main a[href="/calls/${call.id}/bids/new"]`).text().trim();
    const signsOut = (html: string) => parsePage(html).formActions().includes('/sign-out');
    const theirs = await applicant.agent.get(`/calls/${call.id}`).expect(200);
    expect(startsABid(theirs.text)).to.equal('Start a bid');
    expect(signsOut(theirs.text)).to.equal(true);
    const publicPage = await anonymous(test).get(`/calls/${call.id}`).expect(200);
    expect(startsABid(publicPage.text)).to.equal('');
    expect(signsOut(publicPage.text)).to.equal(false);
    expect(parsePage(publicPage.text).text('body')).not.to.contain('Start a bid').and.not.to.contain('Sign out');
    expect(publicPage.text).not.to.contain(applicant.email);
    const again = await applicant.agent.get(`/calls/${call.id}`).expect(200);
    expect(startsABid(again.text)).to.equal('Start a bid');
  });

  it('answers 404 for a draft, an unknown id and an id that is not one, and keeps nothing for them', async () => {
    const draft = (
      await officer.agent
        .post('/api/v1/calls')
        .send(aCallBody({ reference: 'OC99S26P9999' }))
        .expect(201)
    ).body as { id: string };
    for (const id of [draft.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const page = await anonymous(test).get(`/calls/${id}`);
      expect(page.status, id).to.equal(404);
      expect(parsePage(page.text).heading()).to.equal('Page not found');
    }
  });

  it('keeps at most the pages it is given room for, and renders again a page it let go', async () => {
    const calls = [
      call,
      await aPublishedCall(officer, { reference: 'OC99S26P0102' }),
      await aPublishedCall(officer, { reference: 'OC99S26P0103' }),
    ];
    const app = express();
    useViews(app);
    const view = (shown: Call, catalogue: Indicator[]) => ({
      name: 'calls/show',
      locals: { pageTitle: shown.title, ...callPageModel(shown, catalogue) },
    });
    const pages = publicCallPages(test.ctx, view, { maxPages: 2 });
    app.get('/calls/:id', (req, res) => pages.send(req, res, req.params.id));
    const firstViews = [];
    for (const { id } of calls) firstViews.push((await supertest(app).get(`/calls/${id}`).expect(200)).text);
    expect(pages.size()).to.equal(2);
    expect((await supertest(app).get(`/calls/${call.id}`).expect(200)).text).to.equal(firstViews[0]);
    expect(pages.size()).to.equal(2);
  });
});

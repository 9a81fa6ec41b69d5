import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { anApplicant, useTestApp, type TestUser } from '../support/app.ts';
import { csrfTokenFrom } from '../support/pages.ts';
import {
  ABSOLUTE_LIMIT_MS,
  IDLE_LIMIT_MS,
  LAST_SEEN_RESOLUTION_MS,
  SESSION_END_MESSAGES,
} from '../../server/identity/session.ts';

const SIGNED_IN = new Date('2027-02-01T09:00:00Z').getTime();

describe('session limits: 30 minutes without a request, 8 hours from sign-in', () => {
  const test = useTestApp();

  /** An applicant signed in at SIGNED_IN by the test clock. */
  async function signedInAtNine(): Promise<TestUser> {
    test.sessionClock.set(new Date(SIGNED_IN));
    return anApplicant(test);
  }

  function at(ms: number): void {
    test.sessionClock.set(new Date(ms));
  }

  async function storedSession(userId: string) {
    const rows = await test.knex('sessions').whereRaw(`sess ->> 'userId' = ?`, [userId]);
    return rows[0] as { sid: string; sess: Record<string, unknown>; expire: Date } | undefined;
  }

  it('keeps a session used one second before 30 idle minutes, and each request moves the idle limit on', async () => {
    const applicant = await signedInAtNine();
    at(SIGNED_IN + IDLE_LIMIT_MS - 1000);
    await applicant.agent.get('/api/v1/me').expect(200);
    at(SIGNED_IN + 2 * (IDLE_LIMIT_MS - 1000));
    await applicant.agent.get('/api/v1/me').expect(200);
  });

  it('ends a session one second past 30 minutes without a request, saying why, and deletes its row', async () => {
    const applicant = await signedInAtNine();
    at(SIGNED_IN + 10 * 60 * 1000);
    await applicant.agent.get('/api/v1/me').expect(200);
    at(SIGNED_IN + 10 * 60 * 1000 + IDLE_LIMIT_MS + 1000);
    const ended = await applicant.agent.get('/api/v1/me');
    expect(ended.status).to.equal(401);
    expect(ended.body.error.message).to.equal(SESSION_END_MESSAGES.idle);
    expect(await storedSession(applicant.actor.id)).to.equal(undefined);
    // Going back in time does not bring it back: it is gone.
    at(SIGNED_IN + 10 * 60 * 1000);
    await applicant.agent.get('/api/v1/me').expect(401);
  });

  it('keeps a busy session one second before 8 hours from sign-in and ends it one second after', async () => {
    const applicant = await signedInAtNine();
    for (let minutes = 29; minutes < 8 * 60; minutes += 29) {
      at(SIGNED_IN + minutes * 60 * 1000);
      await applicant.agent.get('/api/v1/me').expect(200);
    }
    at(SIGNED_IN + ABSOLUTE_LIMIT_MS - 1000);
    await applicant.agent.get('/api/v1/me').expect(200);
    at(SIGNED_IN + ABSOLUTE_LIMIT_MS + 1000);
    const ended = await applicant.agent.get('/api/v1/me');
    expect(ended.status).to.equal(401);
    expect(ended.body.error.message).to.equal(SESSION_END_MESSAGES.expired);
    expect(await storedSession(applicant.actor.id)).to.equal(undefined);
  });

  it('writes the last request to the row at most once a second, and never moves the row on past 8 hours', async () => {
    const applicant = await signedInAtNine();
    const first = (await storedSession(applicant.actor.id))!;
    expect(first.sess).to.include({ signedInAt: SIGNED_IN, lastSeenAt: SIGNED_IN });
    at(SIGNED_IN + LAST_SEEN_RESOLUTION_MS - 1);
    await applicant.agent.get('/api/v1/me').expect(200);
    expect((await storedSession(applicant.actor.id))!.sess.lastSeenAt).to.equal(SIGNED_IN);
    at(SIGNED_IN + LAST_SEEN_RESOLUTION_MS);
    await applicant.agent.get('/api/v1/me').expect(200);
    const moved = (await storedSession(applicant.actor.id))!;
    expect(moved.sess.lastSeenAt).to.equal(SIGNED_IN + LAST_SEEN_RESOLUTION_MS);
    expect(moved.expire.getTime()).to.equal(first.expire.getTime());
  });

  it('ends a session stored without its sign-in time (one made before the limits were kept)', async () => {
    const applicant = await signedInAtNine();
    const row = (await storedSession(applicant.actor.id))!;
    const { signedInAt: _signedInAt, ...older } = row.sess;
    await test
      .knex('sessions')
      .where({ sid: row.sid })
      .update({ sess: JSON.stringify(older) });
    await applicant.agent.get('/api/v1/me').expect(401);
  });

  it('sends a person whose session has ended from a page to sign in, with a notice saying why', async () => {
    const applicant = await signedInAtNine();
    at(SIGNED_IN + IDLE_LIMIT_MS + 1000);
    const page = await applicant.agent.get('/dashboard');
    expect(page.status).to.equal(303);
    expect(page.headers.location).to.equal('/sign-in?ended=idle');
    const signIn = cheerio.load((await applicant.agent.get(page.headers.location).expect(200)).text);
    expect(signIn('.govuk-notification-banner__heading').text().trim()).to.equal(SESSION_END_MESSAGES.idle);
    expect(signIn('h1').text()).to.equal('Sign in');
  });

  it(
    'sends a form posted after the session ended to sign in with the notice, not to the ' + "form's CSRF refusal",
    async () => {
      const applicant = await signedInAtNine();
      const token = await csrfTokenFrom(applicant.agent, '/change-password');
      at(SIGNED_IN + ABSOLUTE_LIMIT_MS + 1000);
      const posted = await applicant.agent
        .post('/change-password')
        .type('form')
        .send({ _csrf: token, currentPassword: 'x', newPassword: 'y' });
      expect(posted.status).to.equal(303);
      expect(posted.headers.location).to.equal('/sign-in?ended=expired');
    },
  );

  it('shows the notice on a public page read as the session ends, and then reads as anyone', async () => {
    const applicant = await signedInAtNine();
    at(SIGNED_IN + IDLE_LIMIT_MS + 1000);
    const calls = cheerio.load((await applicant.agent.get('/calls').expect(200)).text);
    expect(calls('.govuk-notification-banner__heading').text().trim()).to.equal(SESSION_END_MESSAGES.idle);
    expect(calls('button:contains("Sign out")').length).to.equal(0);
    const again = cheerio.load((await applicant.agent.get('/calls').expect(200)).text);
    expect(again('.govuk-notification-banner').length).to.equal(0);
    expect(again('a[href="/sign-in"]').length).to.be.greaterThan(0);
  });
});

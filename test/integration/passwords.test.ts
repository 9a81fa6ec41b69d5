import { expect } from 'chai';
import supertest from 'supertest';
import argon2 from 'argon2';
import { anApplicant, anOfficer, anonymous, asApiClient, signInAs, useTestApp, PASSWORD } from '../support/app.ts';
import * as cheerio from 'cheerio';
import { snapshot } from '../support/database.ts';
import { deliverOnce, startSmtpServer, type TestSmtpServer } from '../support/mail.ts';
import { aResetLink } from '../support/passwords.ts';
import { hashResetToken, RESET_REQUESTED } from '../../server/identity/passwordService.ts';
import {
  RESET_LINKS_PER_ADDRESS_PER_HOUR,
  RESET_REQUESTS_PER_CLIENT_PER_HOUR,
} from '../../server/identity/throttle.ts';
import { SESSION_END_MESSAGES } from '../../server/identity/session.ts';

const NEW_PASSWORD = 'a brand new passphrase';
const HOUR = 60 * 60 * 1000;

describe('password reset API', () => {
  const test = useTestApp();

  /** A second signed-in agent of the same person, as from another browser. */
  async function anotherSessionOf(email: string, password = PASSWORD) {
    return signInAs(asApiClient(supertest.agent(test.app)), email, password);
  }

  async function signInStatus(email: string, password: string): Promise<number> {
    return (await anonymous(test).post('/api/v1/session').send({ email, password })).status;
  }

  it(
    'answers 202 with the same body for an address with an account and one without, making a link ' +
      'only for the account',
    async () => {
      const applicant = await anApplicant(test);
      const known = await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email.toUpperCase() });
      const unknown = await anonymous(test).post('/api/v1/password-reset').send({ email: 'nobody@test.example' });
      expect(known.status).to.equal(202);
      expect(unknown.status).to.equal(202);
      expect(known.body).to.deep.equal(RESET_REQUESTED);
      expect(unknown.body).to.deep.equal(known.body);
      expect(Object.keys(known.headers).sort()).to.deep.equal(Object.keys(unknown.headers).sort());
      const links = await test.knex('password_resets').select('*');
      expect(links).to.have.length(1);
      expect(links[0].userId).to.equal(applicant.actor.id);
      expect(links[0].tokenHash).to.match(/^[0-9a-f]{64}$/);
      expect(links[0].usedAt).to.equal(null);
      expect(links[0].expiresAt.getTime() - links[0].createdAt.getTime()).to.equal(HOUR);
      // The same work for both: one message each, a link to the account and a "no account" to the other.
      const queued = await test.knex('mail_outbox').select('toAddress', 'template').orderBy('id');
      expect(queued).to.deep.equal([
        { toAddress: applicant.email, template: 'password-reset' },
        { toAddress: 'nobody@test.example', template: 'password-reset-no-account' },
      ]);
    },
  );

  it('runs the same statements for an address with an account as for one without', async () => {
    const applicant = await anApplicant(test);
    const statementsOf = async (email: string) => {
      const seen: string[] = [];
      const listen = (query: { sql: string }) => seen.push(query.sql);
      test.knex.on('query', listen);
      try {
        await anonymous(test).post('/api/v1/password-reset').send({ email }).expect(202);
      } finally {
        test.knex.off('query', listen);
      }
      return seen;
    };
    const known = await statementsOf(applicant.email);
    const unknown = await statementsOf('nobody@test.example');
    expect(known.some((sql) => sql.includes('insert into password_resets'))).to.equal(true);
    expect(known.some((sql) => sql.includes('insert into "mail_outbox"'))).to.equal(true);
    expect(unknown).to.deep.equal(known);
  });

  it('refuses a body that is not one e-mail address with 422 and makes nothing', async () => {
    const before = await snapshot();
    // An address with no dot in its domain is one no message can be sent to.
    for (const body of [{}, { email: 'not an address' }, { email: 'a@localhost' }, { email: 'a@b.example', x: 1 }]) {
      const response = await anonymous(test).post('/api/v1/password-reset').send(body);
      expect(response.status, JSON.stringify(body)).to.equal(422);
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it('leaves only the newest link working: a new request deletes the earlier ones', async () => {
    const applicant = await anApplicant(test);
    const earlier = await aResetLink(test.knex, applicant.actor.id);
    await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email }).expect(202);
    const links = await test.knex('password_resets').select('tokenHash');
    expect(links).to.have.length(1);
    expect(links[0].tokenHash).not.to.equal(hashResetToken(earlier));
    await anonymous(test).post(`/api/v1/password-reset/${earlier}`).send({ password: NEW_PASSWORD }).expect(404);
  });

  it('sets the new password from a link, signs the user in afresh and ends every session they had', async () => {
    const applicant = await anApplicant(test);
    const second = await anotherSessionOf(applicant.email);
    const bystander = await anApplicant(test);
    const token = await aResetLink(test.knex, applicant.actor.id);
    const resetter = anonymous(test);
    const response = await resetter.post(`/api/v1/password-reset/${token}`).send({ password: NEW_PASSWORD });
    expect(response.status).to.equal(200);
    expect(response.body.user).to.include({ id: applicant.actor.id, email: applicant.email });
    await applicant.agent.get('/api/v1/me').expect(401);
    await second.get('/api/v1/me').expect(401);
    await bystander.agent.get('/api/v1/me').expect(200);
    expect((await resetter.get('/api/v1/me').expect(200)).body.id).to.equal(applicant.actor.id);
    const sessions = await test.knex('sessions').whereRaw(`sess ->> 'userId' = ?`, [applicant.actor.id]);
    expect(sessions).to.have.length(1);
    expect(await signInStatus(applicant.email, PASSWORD)).to.equal(401);
    expect(await signInStatus(applicant.email, NEW_PASSWORD)).to.equal(200);
    const link = await test.knex('password_resets').first();
    expect(link.usedAt).to.be.an.instanceOf(Date);
  });

  it('answers 404 for a link used once already, and changes nothing', async () => {
    const applicant = await anApplicant(test);
    const token = await aResetLink(test.knex, applicant.actor.id);
    await anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password: NEW_PASSWORD }).expect(200);
    const before = await snapshot();
    const again = await anonymous(test)
      .post(`/api/v1/password-reset/${token}`)
      .send({ password: 'another passphrase' });
    expect(again.status).to.equal(404);
    expect(again.body.error.code).to.equal('not-found');
    expect(await snapshot()).to.deep.equal(before);
    expect(await signInStatus(applicant.email, NEW_PASSWORD)).to.equal(200);
  });

  it('answers 404 for an unknown link, one of the right shape included, and changes nothing', async () => {
    const applicant = await anApplicant(test);
    await aResetLink(test.knex, applicant.actor.id);
    const before = await snapshot();
    for (const token of ['x', 'A'.repeat(43), hashResetToken('anything')]) {
      const response = await anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password: NEW_PASSWORD });
      expect(response.status, token).to.equal(404);
    }
    expect(await snapshot()).to.deep.equal(before);
    await applicant.agent.get('/api/v1/me').expect(200);
  });

  it('takes a link one second before its hour is up and refuses it one second after', async () => {
    const applicant = await anApplicant(test);
    const made = new Date('2027-03-01T10:00:00Z');
    const late = await aResetLink(test.knex, applicant.actor.id, { createdAt: made });
    test.clock.set(new Date(made.getTime() + HOUR + 1000));
    const before = await snapshot();
    await anonymous(test).post(`/api/v1/password-reset/${late}`).send({ password: NEW_PASSWORD }).expect(404);
    expect(await snapshot()).to.deep.equal(before);
    test.clock.set(new Date(made.getTime() + HOUR - 1000));
    await anonymous(test).post(`/api/v1/password-reset/${late}`).send({ password: NEW_PASSWORD }).expect(200);
  });

  it('refuses a new password that breaks the rules of registration with 422, and the link still works', async () => {
    const applicant = await anApplicant(test);
    const token = await aResetLink(test.knex, applicant.actor.id);
    const before = await snapshot();
    for (const body of [
      {},
      { password: 'too short' },
      { password: 'x'.repeat(201) },
      { password: NEW_PASSWORD, x: 1 },
    ]) {
      const response = await anonymous(test).post(`/api/v1/password-reset/${token}`).send(body);
      expect(response.status, JSON.stringify(body).slice(0, 40)).to.equal(422);
    }
    expect(await snapshot()).to.deep.equal(before);
    await applicant.agent.get('/api/v1/me').expect(200);
    await anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password: NEW_PASSWORD }).expect(200);
  });

  it('lets exactly one of two requests with the same link succeed', async () => {
    const applicant = await anApplicant(test);
    const token = await aResetLink(test.knex, applicant.actor.id);
    const passwords = ['first of two passphrases', 'second of two passphrases'];
    const responses = await Promise.all(
      passwords.map((password) => anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password })),
    );
    expect(responses.map((r) => r.status).sort()).to.deep.equal([200, 404]);
    const winner = passwords[responses.findIndex((r) => r.status === 200)];
    const { passwordHash } = await test.knex('users').where({ id: applicant.actor.id }).first();
    expect(await argon2.verify(passwordHash, winner)).to.equal(true);
    expect((await test.knex('users').where({ id: applicant.actor.id }).first()).sessionGeneration).to.equal(1);
  });

  it(
    `answers a client 429 past ${RESET_REQUESTS_PER_CLIENT_PER_HOUR} requests an hour, ` +
      'whatever the addresses, and makes nothing for it',
    async function () {
      this.timeout(60_000);
      const applicant = await anApplicant(test);
      for (let i = 0; i < RESET_REQUESTS_PER_CLIENT_PER_HOUR; i += 1)
        await anonymous(test)
          .post('/api/v1/password-reset')
          .send({ email: `someone-${i}@test.example` })
          .expect(202);
      const refused = await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email });
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal('too-many-attempts');
      expect(await test.knex('password_resets').select('id')).to.deep.equal([]);
    },
  );

  it(
    `sends an address at most ${RESET_LINKS_PER_ADDRESS_PER_HOUR} links an hour, answering ` +
      'the next request as any other, for an address with an account or without',
    async () => {
      const applicant = await anApplicant(test);
      const hashes: string[] = [];
      for (let i = 0; i < RESET_LINKS_PER_ADDRESS_PER_HOUR; i += 1) {
        await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email }).expect(202);
        hashes.push((await test.knex('password_resets').first()).tokenHash);
      }
      expect(new Set(hashes).size).to.equal(RESET_LINKS_PER_ADDRESS_PER_HOUR);
      for (let i = 0; i < RESET_LINKS_PER_ADDRESS_PER_HOUR; i += 1)
        await anonymous(test).post('/api/v1/password-reset').send({ email: 'nobody@test.example' }).expect(202);
      const before = await snapshot();
      const known = await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email });
      const unknown = await anonymous(test).post('/api/v1/password-reset').send({ email: 'NOBODY@test.example' });
      expect([known.status, unknown.status]).to.deep.equal([202, 202]);
      expect(known.body).to.deep.equal(RESET_REQUESTED);
      expect(unknown.body).to.deep.equal(RESET_REQUESTED);
      expect(await snapshot()).to.deep.equal(before);
    },
  );
});

describe('changing a password', () => {
  const test = useTestApp();

  async function signInStatus(email: string, password: string): Promise<number> {
    return (await anonymous(test).post('/api/v1/session').send({ email, password })).status;
  }

  it("changes it: this session stays, the person's other sessions end, nobody else's", async () => {
    const applicant = await anApplicant(test);
    const elsewhere = await signInAs(asApiClient(supertest.agent(test.app)), applicant.email);
    const colleague = await anApplicant(test, applicant.actor.organisationId!);
    const response = await applicant.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ otherSessionsEnded: 1 });
    await applicant.agent.get('/api/v1/me').expect(200);
    const ended = await elsewhere.get('/api/v1/me');
    expect(ended.status).to.equal(401);
    await colleague.agent.get('/api/v1/me').expect(200);
    expect(await signInStatus(applicant.email, PASSWORD)).to.equal(401);
    expect(await signInStatus(applicant.email, NEW_PASSWORD)).to.equal(200);
    // The session that changed it goes on working for writes too: its CSRF token is still its own.
    await applicant.agent.delete('/api/v1/session').expect(204);
  });

  it('answers 422 when the current password is wrong, and changes nothing', async () => {
    const applicant = await anApplicant(test);
    const elsewhere = await signInAs(asApiClient(supertest.agent(test.app)), applicant.email);
    const before = await snapshot();
    const response = await applicant.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: 'not the password', newPassword: NEW_PASSWORD });
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal([
      { path: '/currentPassword', message: 'The current password is not right' },
    ]);
    expect(await snapshot()).to.deep.equal(before);
    await elsewhere.get('/api/v1/me').expect(200);
    expect(await signInStatus(applicant.email, PASSWORD)).to.equal(200);
  });

  it('refuses a new password that breaks the rules of registration with 422', async () => {
    const applicant = await anApplicant(test);
    const before = await snapshot();
    for (const body of [{}, { currentPassword: PASSWORD }, { currentPassword: PASSWORD, newPassword: 'short' }]) {
      const response = await applicant.agent.put('/api/v1/me/password').send(body);
      expect(response.status, JSON.stringify(body)).to.equal(422);
    }
    expect(await snapshot()).to.deep.equal(before);
  });

  it(
    'counts a wrong current password as a failed sign-in: the eleventh try in a row is 429, the ' + 'right one too',
    async function () {
      this.timeout(60_000);
      const applicant = await anApplicant(test);
      for (let i = 0; i < 10; i += 1)
        await applicant.agent
          .put('/api/v1/me/password')
          .send({ currentPassword: `wrong ${i}`, newPassword: NEW_PASSWORD })
          .expect(422);
      const refused = await applicant.agent
        .put('/api/v1/me/password')
        .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(refused.status).to.equal(429);
      expect(await signInStatus(applicant.email, PASSWORD)).to.equal(429);
    },
  );

  it('answers 401 to nobody signed in', async () => {
    const response = await anonymous(test)
      .put('/api/v1/me/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.status).to.equal(401);
  });

  it('refuses a session from before the change even when its row is put back, saying why', async () => {
    const applicant = await anApplicant(test);
    const elsewhere = await signInAs(asApiClient(supertest.agent(test.app)), applicant.email);
    const rows = await test.knex('sessions').whereRaw(`sess ->> 'userId' = ?`, [applicant.actor.id]);
    expect(rows).to.have.length(2);
    await applicant.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(200);
    const kept = await test.knex('sessions').whereRaw(`sess ->> 'userId' = ?`, [applicant.actor.id]);
    expect(kept).to.have.length(1);
    // A request of the other session that was under way as the rows went writes its row back as it ends.
    const gone = rows.find((row) => row.sid !== kept[0].sid)!;
    await test.knex('sessions').insert({ ...gone, sess: JSON.stringify(gone.sess) });
    const replayed = await elsewhere.get('/api/v1/me');
    expect(replayed.status).to.equal(401);
    expect(replayed.body.error.message).to.equal(SESSION_END_MESSAGES.password);
    expect(await test.knex('sessions').where({ sid: gone.sid })).to.deep.equal([]);
    await applicant.agent.get('/api/v1/me').expect(200);
  });

  it('ends the other sessions of an officer as of an applicant', async () => {
    const officer = await anOfficer(test);
    const elsewhere = await signInAs(asApiClient(supertest.agent(test.app)), officer.email);
    await officer.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(200);
    await elsewhere.get('/api/v1/me').expect(401);
    await officer.agent.get('/api/v1/calls').expect(200);
  });
});

describe('password e-mails, delivered to a real SMTP server', () => {
  const test = useTestApp({ PUBLIC_BASE_URL: 'https://funding.example.org' });
  let smtp: TestSmtpServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  const LINK = /https:\/\/funding\.example\.org\/reset-password\/([A-Za-z0-9_-]{43})/;

  async function delivered(count: number) {
    await deliverOnce(test.ctx, smtp.url);
    return smtp.waitFor(count);
  }

  it('e-mails a link valid for one hour, in both parts, that resets the password; only its hash is kept', async () => {
    const applicant = await anApplicant(test);
    await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email }).expect(202);
    const [mail] = await delivered(1);
    expect(mail.envelopeTo).to.deep.equal([applicant.email]);
    expect(mail.parsed.subject).to.equal('Reset your Funding calls password');
    const text = mail.parsed.text!;
    expect(text).to.contain('The link works for 1 hour and only once');
    expect(text).to.contain('If you did not ask to reset your password, ignore this email');
    const token = LINK.exec(text)![1];
    const html = cheerio.load(String(mail.parsed.html));
    expect(html('a:contains("Create a new password")').attr('href')).to.equal(
      `https://funding.example.org/reset-password/${token}`,
    );
    expect(html.text()).to.contain('The link works for 1 hour');

    // The token is in no table but the message itself: the link's row holds its SHA-256.
    const everything = await snapshot();
    const { mail_outbox: _outbox, ...rest } = everything;
    expect(JSON.stringify(rest)).not.to.contain(token);
    expect(JSON.stringify(rest)).to.contain(hashResetToken(token));

    await anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password: NEW_PASSWORD }).expect(200);
    await anonymous(test).post('/api/v1/session').send({ email: applicant.email, password: NEW_PASSWORD }).expect(200);
  });

  it('tells an address with no account that it has none, and sends no link', async () => {
    await anonymous(test).post('/api/v1/password-reset').send({ email: 'Nobody@Test.example' }).expect(202);
    const [mail] = await delivered(1);
    // To the address as typed (the SMTP server lowers the case of its domain).
    expect(mail.envelopeTo.map((to) => to.toLowerCase())).to.deep.equal(['nobody@test.example']);
    expect(mail.parsed.text).to.contain('Nobody@Test.example');
    expect(mail.parsed.subject).to.equal('Resetting a Funding calls password');
    expect(mail.parsed.text).to.contain('There is no account with this address');
    expect(mail.parsed.text).to.contain('If you did not ask, ignore this email');
    expect(mail.parsed.text).not.to.match(/reset-password\//);
    expect(await test.knex('password_resets').select('id')).to.deep.equal([]);
  });

  it('sends a link that no longer works once a newer one is asked for', async () => {
    const applicant = await anApplicant(test);
    for (let i = 0; i < 2; i += 1)
      await anonymous(test).post('/api/v1/password-reset').send({ email: applicant.email }).expect(202);
    const mails = await delivered(2);
    const tokens = mails.map((mail) => LINK.exec(mail.parsed.text!)![1]);
    expect(new Set(tokens).size).to.equal(2);
    // Delivered in either order: the newer link is the one whose hash is kept.
    const kept = await test.knex('password_resets').select('tokenHash');
    expect(kept).to.have.length(1);
    const newer = tokens.find((token) => hashResetToken(token) === kept[0].tokenHash)!;
    const older = tokens.find((token) => token !== newer)!;
    expect(newer).to.be.a('string');
    await anonymous(test).post(`/api/v1/password-reset/${older}`).send({ password: NEW_PASSWORD }).expect(404);
    await anonymous(test).post(`/api/v1/password-reset/${newer}`).send({ password: NEW_PASSWORD }).expect(200);
  });

  it('tells the person when their password has been changed, by a reset or by themselves', async () => {
    const applicant = await anApplicant(test);
    await applicant.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD })
      .expect(200);
    const token = await aResetLink(test.knex, applicant.actor.id);
    await anonymous(test).post(`/api/v1/password-reset/${token}`).send({ password: PASSWORD }).expect(200);
    const mails = await delivered(2);
    for (const mail of mails) {
      expect(mail.envelopeTo).to.deep.equal([applicant.email]);
      expect(mail.parsed.subject).to.equal('Your Funding calls password has been changed');
      expect(mail.parsed.text).to.contain('If you did not change it, reset it now');
      expect(mail.parsed.text).to.contain('https://funding.example.org/forgot-password');
    }
  });

  it('queues nothing when the change is refused', async () => {
    const applicant = await anApplicant(test);
    await applicant.agent
      .put('/api/v1/me/password')
      .send({ currentPassword: 'wrong password', newPassword: NEW_PASSWORD })
      .expect(422);
    expect(await test.knex('mail_outbox').select('id')).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import supertest from 'supertest';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { PASSWORD, TestClock, anOfficer, type TestApp } from '../support/app.ts';
import { testDatabase } from '../support/database.ts';
import { aResetLink } from '../support/passwords.ts';

const SECRET_PASSWORD = 'Zebra-Quokka-4417-distinctive';
const SECRET_TOKEN = 'rst_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SECRET_COOKIE = 'cookie-value-must-not-leak-5521';
const SECRET_AUTH = 'bearer-must-not-leak-7734';

/** The app around the test database, logging at info as JSON into `lines`, as main.ts logs to standard output. */
function loggedApp(lines: string[]): TestApp {
  const { url, knex } = testDatabase();
  const clock = new TestClock();
  const logger = createLogger(
    { logLevel: 'info', logFormat: 'json', production: false },
    { write: (line: string) => void lines.push(line) },
  );
  const ctx = { knex, clock, config: loadConfig({ NODE_ENV: 'test' }), logger };
  const { app, close }: App = createApp(ctx, url);
  return { ctx, clock, sessionClock: clock, knex, app, close };
}

function parsed(lines: string[]): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the request log', () => {
  let lines: string[];
  let test: TestApp;

  beforeEach(() => {
    lines = [];
    test = loggedApp(lines);
  });

  afterEach(async () => {
    await test.close();
  });

  it('writes one JSON line per request with its id, method, route pattern, status, duration and user', async () => {
    const officer = await anOfficer(test);
    const agent = supertest.agent(test.app);
    await agent.post('/api/v1/session').send({ email: officer.email, password: PASSWORD }).expect(200);
    lines.length = 0;
    const id = '00000000-0000-4000-8000-000000000000';
    const answer = await agent.get(`/api/v1/calls/${id}?include=everything`).expect(404);

    const requests = parsed(lines).filter((line) => line.msg === 'request');
    expect(requests).to.have.length(1);
    const [line] = requests;
    expect(line).to.include({
      level: 30,
      method: 'GET',
      route: '/api/v1/calls/:id',
      status: 404,
      userId: officer.actor.id,
    });
    expect(line.reqId).to.equal(answer.headers['x-request-id']);
    expect(line.durationMs).to.be.a('number');
    expect(JSON.stringify(line)).not.to.contain(id);
  });

  it('answers a sane incoming X-Request-Id as the request id, and replaces one that is not', async () => {
    const sane = await supertest(test.app).get('/api/v1/calls').set('X-Request-Id', 'lb-7f3a.29:c1').expect(200);
    expect(sane.headers['x-request-id']).to.equal('lb-7f3a.29:c1');
    const long = await supertest(test.app).get('/api/v1/calls').set('X-Request-Id', 'x'.repeat(65)).expect(200);
    const spaced = await supertest(test.app).get('/api/v1/calls').set('X-Request-Id', 'a b"}{"level":60').expect(200);
    for (const answer of [long, spaced]) expect(answer.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    const ids = parsed(lines).map((line) => line.reqId);
    expect(ids).to.deep.equal(['lb-7f3a.29:c1', long.headers['x-request-id'], spaced.headers['x-request-id']]);
  });

  it('never holds a password, a reset token, a cookie or an authorisation sent to it', async () => {
    const register = {
      email: 'leak-check@test.example',
      password: SECRET_PASSWORD,
      name: 'Leak Check',
      organisation: { name: 'Leak Check CIC', type: 'vcs', charityNumber: '1190099' },
    };
    const registered = await supertest(test.app).post('/api/v1/register').send(register).expect(201);
    await supertest(test.app).post('/api/v1/session').send({ email: register.email, password: SECRET_PASSWORD });
    await supertest(test.app)
      .post('/api/v1/session')
      .send({ email: register.email, password: `${SECRET_PASSWORD}x` });
    // The sign-in page, with its CSRF token, as a browser posts it.
    const page = supertest.agent(test.app);
    const form = await page.get('/sign-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    await page.post('/sign-in').type('form').send({ _csrf: csrf, email: register.email, password: SECRET_PASSWORD });
    // A reset token in the path, in the query and in the body; a body that is not JSON, holding the password.
    await supertest(test.app)
      .post(`/api/v1/password-reset/${SECRET_TOKEN}?token=${SECRET_TOKEN}`)
      .send({ token: SECRET_TOKEN, password: SECRET_PASSWORD });
    await supertest(test.app).get(`/reset-password?token=${SECRET_TOKEN}`);
    // And a real link with that token: its page, its form refused and then taken, and the API refusing it used.
    await aResetLink(test.knex, registered.body.id, { token: SECRET_TOKEN });
    const resetPage = supertest.agent(test.app);
    const resetForm = await resetPage.get(`/reset-password/${SECRET_TOKEN}`).expect(200);
    const resetCsrf = /name="_csrf" value="([^"]+)"/.exec(resetForm.text)![1];
    for (const password of ['short', `${SECRET_PASSWORD}-new`])
      await resetPage.post(`/reset-password/${SECRET_TOKEN}`).type('form').send({ _csrf: resetCsrf, password });
    await supertest(test.app)
      .post(`/api/v1/password-reset/${SECRET_TOKEN}`)
      .send({ password: SECRET_PASSWORD })
      .expect(404);
    // A change of password, the current one wrong and then right.
    for (const currentPassword of [SECRET_PASSWORD, `${SECRET_PASSWORD}-new`])
      await resetPage
        .put('/api/v1/me/password')
        .set('Content-Type', 'application/json')
        .send({ currentPassword, newPassword: `${SECRET_PASSWORD}-newer` });
    await supertest(test.app)
      .post('/api/v1/session')
      .set('Content-Type', 'application/json')
      .set('Cookie', `connect.sid=${SECRET_COOKIE}`)
      .set('Authorization', `Bearer ${SECRET_AUTH}`)
      .send(`{"email": "x", "password": "${SECRET_PASSWORD}"`);
    // And what the server itself logs with an error is redacted by key.
    test.ctx.logger!.error(
      {
        err: Object.assign(new Error('parse failed'), { body: `{"password":"${SECRET_PASSWORD}"}` }),
        password: SECRET_PASSWORD,
        req: { headers: { cookie: SECRET_COOKIE, authorization: SECRET_AUTH } },
        reset: { token: SECRET_TOKEN },
      },
      'unexpected error',
    );

    const output = lines.join('');
    const requests = parsed(lines).filter((line) => line.msg === 'request');
    expect(requests).to.have.length(14);
    // The reset page, its form refused and taken, the API refusing the used link; the change refused and taken.
    expect(requests.slice(7, 13).map((line) => line.status)).to.deep.equal([200, 422, 303, 404, 422, 200]);
    for (const secret of [SECRET_PASSWORD, SECRET_TOKEN, SECRET_COOKIE, SECRET_AUTH])
      expect(output).not.to.contain(secret);
    expect(output).to.contain('[redacted]');
  });

  it('is silent in tests unless a level is asked for', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).to.equal('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).to.equal('debug');
    expect(loadConfig({}).logLevel).to.equal('info');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw('LOG_LEVEL must be one of trace, debug, info');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).to.throw('LOG_FORMAT must be one of json, pretty, auto');
  });
});

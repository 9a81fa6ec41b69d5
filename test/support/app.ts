/** The real application around the test database, with a clock tests can set, and signed-in agents. */
import supertest from 'supertest';
import type { Knex } from 'knex';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import type { Actor, AppContext, Clock } from '../../server/context.ts';
import argon2 from 'argon2';
import { findUserById, insertFunder, insertOrganisation, insertUser } from '../../server/identity/repository.ts';
import { toActor } from '../../server/identity/service.ts';
import { testDatabase } from './database.ts';
import { aCallBody } from './builders.ts';
import type { CallFields } from '../../server/calls/types.ts';
import { CSRF_HEADER } from '../../server/web/csrf.ts';

/** A clock that tells real time until a test sets it. */
export class TestClock implements Clock {
  private fixed: Date | undefined;
  private stepMs = 0;
  private offsetMs = 0;
  now(): Date {
    if (!this.fixed) return new Date(Date.now() + this.offsetMs);
    const now = new Date(this.fixed.getTime());
    this.fixed = new Date(this.fixed.getTime() + this.stepMs);
    return now;
  }
  /** Stops the clock at `instant`; with `stepMs`, each reading moves it on by that much (time passing mid-request). */
  set(instant: Date | string, stepMs = 0): void {
    this.fixed = new Date(instant);
    this.stepMs = stepMs;
  }
  /** Lets the clock run in real time, shifted by `ms` (to stand just before a deadline and let it pass for real). */
  runShiftedBy(ms: number): void {
    this.fixed = undefined;
    this.offsetMs = ms;
  }
  reset(): void {
    this.fixed = undefined;
    this.stepMs = 0;
    this.offsetMs = 0;
  }
}

export interface TestApp {
  ctx: AppContext;
  clock: TestClock;
  knex: Knex;
  app: App['app'];
  close(): Promise<void>;
}

/** Builds the app as main.ts does, around the test database; `env` adds settings (registrations are not throttled). */
export function buildTestApp(env: Record<string, string> = {}): TestApp {
  const { url, knex } = testDatabase();
  const clock = new TestClock();
  const ctx: AppContext = {
    knex,
    clock,
    config: loadConfig({ NODE_ENV: 'test', REGISTRATION_LIMIT_PER_HOUR: '0', ...env }),
  };
  const { app, close } = createApp(ctx, url);
  return { ctx, clock, knex, app, close };
}

/**
 * Registers, in the enclosing describe, a beforeEach that builds a fresh app and an afterEach that closes it, and
 * returns a stand-in whose fields are that test's app: read them inside hooks and tests, not at describe time.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  let current: TestApp | undefined;
  beforeEach(() => {
    current = buildTestApp(env);
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  const live = (): TestApp => {
    if (!current) throw new Error('useTestApp(): the app exists only while a test runs (in its hooks and body)');
    return current;
  };
  return {
    get ctx() {
      return live().ctx;
    },
    get clock() {
      return live().clock;
    },
    get knex() {
      return live().knex;
    },
    get app() {
      return live().app;
    },
    close: () => live().close(),
  };
}

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

/**
 * The stored hash of the test users' password: real argon2id, checked by the real sign-in, but made with the
 * smallest cost argon2 allows (1 MiB, one pass, one lane) where the server's hashPassword uses 64 MiB, three
 * passes and four lanes. argon2 reads the cost from the hash itself, so every test sign-in then takes
 * milliseconds instead of a quarter of a second (over a second on a loaded machine), and a suite that signs in
 * thousands of times spends its time on what it tests. Registration and password changes still hash at full cost.
 */
export function fixturePasswordHash(): Promise<string> {
  passwordHash ??= argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  return passwordHash;
}
let counter = 0;

export interface TestUser {
  actor: Actor;
  email: string;
  agent: supertest.Agent;
}

/**
 * An agent that sends what an API client sends: `Content-Type: application/json` on every API request that changes
 * something, a bodiless one too (a multipart `.attach` replaces it). Pages' form posts are left as they are.
 */
export function asApiClient(agent: supertest.Agent): supertest.Agent {
  for (const method of ['post', 'put', 'patch', 'delete'] as const) {
    const open = agent[method].bind(agent) as (url: string) => supertest.Test;
    agent[method] = ((url: string) => {
      const request = open(url);
      return url.startsWith('/api/') ? request.set('Content-Type', 'application/json') : request;
    }) as (typeof agent)[typeof method];
  }
  return agent;
}

/** Signs the agent in through the API and has it send the session's CSRF token with each request, as a client would. */
export async function signInAs(agent: supertest.Agent, email: string, password = PASSWORD): Promise<supertest.Agent> {
  await agent.post('/api/v1/session').send({ email, password }).expect(200);
  const { csrfToken } = (await agent.get('/api/v1/csrf-token').expect(200)).body as { csrfToken: string };
  agent.set(CSRF_HEADER, csrfToken);
  return agent;
}

async function signedIn(test: TestApp, email: string): Promise<supertest.Agent> {
  return signInAs(asApiClient(supertest.agent(test.app)), email);
}

async function makeUser(
  test: TestApp,
  role: Actor['role'],
  membership: { funderId?: string; organisationId?: string },
  label: string,
): Promise<TestUser> {
  counter += 1;
  const email = `${label}-${counter}@test.example`;
  const user = await insertUser(test.knex, {
    email,
    passwordHash: await fixturePasswordHash(),
    name: `${label} ${counter}`,
    role,
    funderId: membership.funderId ?? null,
    organisationId: membership.organisationId ?? null,
  });
  const actor = toActor((await findUserById(test.knex, user.id))!);
  return { actor, email, agent: await signedIn(test, email) };
}

/** A funder (LEP) of its own. */
export async function aFunder(test: TestApp, name = `Funder ${++counter}`): Promise<string> {
  return (await insertFunder(test.knex, name)).id;
}

/** A signed-in officer, of a new funder unless one is given. */
export async function anOfficer(test: TestApp, funderId?: string): Promise<TestUser> {
  return makeUser(test, 'officer', { funderId: funderId ?? (await aFunder(test)) }, 'officer');
}

/** A signed-in appraiser of the given funder. */
export async function anAppraiser(test: TestApp, funderId: string): Promise<TestUser> {
  return makeUser(test, 'appraiser', { funderId }, 'appraiser');
}

/** A signed-in applicant of a new organisation, unless one is given. */
export async function anApplicant(test: TestApp, organisationId?: string): Promise<TestUser> {
  const orgId =
    organisationId ??
    (
      await test.knex.transaction((trx) =>
        insertOrganisation(trx, {
          name: `Consortium ${++counter}`,
          type: 'vcs',
          charityNumber: '1190099',
          companyNumber: null,
        }),
      )
    ).id;
  return makeUser(test, 'applicant', { organisationId: orgId }, 'applicant');
}

/**
 * A supertest parser that keeps a response's body as the bytes it was (files: workbooks, letters):
 * `.parse(binaryBody)`.
 */
export function binaryBody(res: supertest.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** An agent with no session (an API client: see asApiClient). */
export function anonymous(test: TestApp): supertest.Agent {
  return asApiClient(supertest.agent(test.app));
}

export interface PublishedCall {
  id: string;
  reference: string;
  title: string;
  opensAt: string;
  closesAt: string;
}

/** The officer writes and publishes the D2N2 call (with any fields changed), as the API answers it. */
export async function aPublishedCall(officer: TestUser, overrides: Partial<CallFields> = {}): Promise<PublishedCall> {
  const call = (await officer.agent.post('/api/v1/calls').send(aCallBody(overrides)).expect(201)).body;
  return (await officer.agent.post(`/api/v1/calls/${call.id}/publish`).expect(200)).body;
}

/**
 * The world both access matrices test against: a call in appraisal with one submitted bid (with a file), and an
 * agent for every role that must not reach it.
 */
import { expect } from 'chai';
import type { Express } from 'express';
import type supertest from 'supertest';
import { routeTable } from './routeTable.ts';
import { aBidBody } from './builders.ts';
import { anApplicant, anAppraiser, anOfficer, anonymous, aPublishedCall, useTestApp, type TestApp } from './app.ts';
import { snapshot } from './database.ts';
import { aPng } from './files.ts';

export type OutsiderRole =
  'anonymous' | 'otherApplicant' | 'offPanelAppraiser' | 'conflictedAppraiser' | 'otherFunderOfficer';
export const OUTSIDER_ROLES: OutsiderRole[] = [
  'anonymous',
  'otherApplicant',
  'offPanelAppraiser',
  'conflictedAppraiser',
  'otherFunderOfficer',
];

export interface AccessWorld {
  call: { id: string; closesAt: string };
  bid: { id: string };
  /** The bid's delivery partner. */
  partnerId: string;
  attachment: { id: string };
  agents: Record<OutsiderRole, supertest.Agent>;
}

/** Builds the world: the call closed, its panel set, one appraiser on it conflicted with the bid. */
export async function anAccessWorld(test: TestApp): Promise<AccessWorld> {
  const officer = await anOfficer(test);
  const owner = await anApplicant(test);
  const call = await aPublishedCall(officer);
  const bid = (await owner.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
  const attachment = (
    await owner.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'a.png').expect(201)
  ).body;
  await owner.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
  test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
  const conflicted = await anAppraiser(test, officer.actor.funderId!);
  const onPanel = await anAppraiser(test, officer.actor.funderId!);
  await officer.agent
    .put(`/api/v1/calls/${call.id}/panel`)
    .send({ appraiserIds: [conflicted.actor.id, onPanel.actor.id] })
    .expect(200);
  await conflicted.agent
    .post(`/api/v1/bids/${bid.id}/conflict`)
    .send({ conflict: true, details: 'Trustee of the lead' })
    .expect(200);
  return {
    call,
    bid,
    partnerId: (bid.partners as { id: string; role: string }[]).find((p) => p.role === 'delivery')!.id,
    attachment,
    agents: {
      anonymous: anonymous(test),
      otherApplicant: (await anApplicant(test)).agent,
      offPanelAppraiser: (await anAppraiser(test, officer.actor.funderId!)).agent,
      conflictedAppraiser: conflicted.agent,
      otherFunderOfficer: (await anOfficer(test)).agent,
    },
  };
}

/** Routed endpoints (method and path) with no entry in `expected`, and entries for routes that do not exist. */
export function uncoveredRoutes(app: Express, expected: Record<string, unknown>, covers: (path: string) => boolean) {
  const routed = routeTable(app)
    .filter((r) => covers(r.path))
    .map((r) => `${r.method} ${r.path}`);
  return {
    withoutEntry: routed.filter((r) => !(r in expected)),
    withoutRoute: Object.keys(expected).filter((e) => !routed.includes(e)),
  };
}

/** A route template with the world's ids in place of its parameters. */
export function pathIn(world: AccessWorld, template: string, section = 'partners'): string {
  // Every role here is refused before a clarification is looked up: any id serves.
  return template
    .replace(/\/calls\/:id/, `/calls/${world.call.id}`)
    .replace(/\/bids\/:id/, `/bids/${world.bid.id}`)
    .replace(':attachmentId', world.attachment.id)
    .replace(':partnerId', world.partnerId)
    .replace(':version', '1')
    .replace(':from', '1')
    .replace(':to', '1')
    .replace(':clarificationId', '00000000-0000-4000-8000-000000000000')
    .replace(':section', section);
}

/** Expected statuses of one route, one per role in the order of OUTSIDER_ROLES. */
export type Statuses = [number, number, number, number, number];

/** How one matrix sends a request: `prepared` is what its `prepare` made of the world (e.g. each role's token). */
export type SendRequest<P> = (request: {
  agent: supertest.Agent;
  method: string;
  path: string;
  role: OutsiderRole;
  prepared: P;
}) => Promise<number>;

/**
 * The access-matrix harness both matrices run: every route `covers` picks from the app's own route table against
 * every role that must not reach it, each answered as `expected` says, and the database unchanged afterwards. A
 * route added without an entry fails, and so does an entry for a route that no longer exists.
 */
export function describeAccessMatrix<P>(
  title: string,
  options: {
    expected: Record<string, Statuses>;
    covers: (path: string) => boolean;
    timeoutMs: number;
    prepare: (world: AccessWorld) => Promise<P>;
    send: SendRequest<P>;
  },
): void {
  describe(title, () => {
    const test = useTestApp();

    it('has an entry for every routed endpoint and no entry for a route that does not exist', () => {
      const uncovered = uncoveredRoutes(test.app, options.expected, options.covers);
      expect(uncovered).to.deep.equal({ withoutEntry: [], withoutRoute: [] });
    });

    it('answers each role as the table says, and changes nothing', async function () {
      this.timeout(options.timeoutMs);
      const world = await anAccessWorld(test);
      const prepared = await options.prepare(world);
      const before = await snapshot();
      const failures: string[] = [];
      for (const [entry, statuses] of Object.entries(options.expected)) {
        const [method, template] = entry.split(' ');
        const path = pathIn(world, template);
        for (const [i, role] of OUTSIDER_ROLES.entries()) {
          const status = await options.send({ agent: world.agents[role], method, path, role, prepared });
          if (status !== statuses[i]) failures.push(`${entry} as ${role}: expected ${statuses[i]}, got ${status}`);
        }
      }
      expect(failures).to.deep.equal([]);
      // Registration and sign-in attempts with empty bodies store nothing either.
      expect(await snapshot()).to.deep.equal(before);
    });
  });
}

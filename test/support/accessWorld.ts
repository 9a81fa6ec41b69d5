/**
 * The world both access matrices test against: a call in appraisal with one submitted bid (with a file), and an
 * agent for every role that must not reach it.
 */
import type { Express } from 'express';
import type supertest from 'supertest';
import { routeTable } from './routeTable.ts';
import { aBidBody } from './builders.ts';
import { anApplicant, anAppraiser, anOfficer, anonymous, aPublishedCall, type TestApp } from './app.ts';
import { aPng } from '../unit/bids/fixtures.ts';

export type OutsiderRole = 'anonymous' | 'otherApplicant' | 'offPanelAppraiser' | 'conflictedAppraiser' | 'otherFunderOfficer';
export const OUTSIDER_ROLES: OutsiderRole[] = ['anonymous', 'otherApplicant', 'offPanelAppraiser', 'conflictedAppraiser', 'otherFunderOfficer'];

export interface AccessWorld {
  call: { id: string; closesAt: string };
  bid: { id: string };
  attachment: { id: string };
  agents: Record<OutsiderRole, supertest.Agent>;
}

/** Builds the world: the call closed, its panel set, one appraiser on it conflicted with the bid. */
export async function anAccessWorld(test: TestApp): Promise<AccessWorld> {
  const officer = await anOfficer(test);
  const owner = await anApplicant(test);
  const call = await aPublishedCall(officer);
  const bid = (await owner.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;
  const attachment = (await owner.agent.post(`/api/v1/bids/${bid.id}/attachments`).attach('file', aPng(), 'a.png').expect(201)).body;
  await owner.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
  test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
  const conflicted = await anAppraiser(test, officer.actor.funderId!);
  const onPanel = await anAppraiser(test, officer.actor.funderId!);
  await officer.agent.put(`/api/v1/calls/${call.id}/panel`).send({ appraiserIds: [conflicted.actor.id, onPanel.actor.id] }).expect(200);
  await conflicted.agent.post(`/api/v1/bids/${bid.id}/conflict`).send({ conflict: true, details: 'Trustee of the lead' }).expect(200);
  return {
    call,
    bid,
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
  return template
    .replace(/\/calls\/:id/, `/calls/${world.call.id}`)
    .replace(/\/bids\/:id/, `/bids/${world.bid.id}`)
    .replace(':attachmentId', world.attachment.id)
    .replace(':version', '1')
    .replace(':section', section);
}

/** Builders for appraisal tests: a call closed with submitted bids and a panel, and appraisers' score sheets. */
import type { BidFields } from '../../server/bids/types.ts';
import { aBidBody, CRITERIA } from './builders.ts';
import { anApplicant, anAppraiser, anOfficer, type TestApp, type TestUser, aPublishedCall } from './app.ts';

export { CRITERIA };

export interface ClosedCall {
  officer: TestUser;
  call: { id: string; reference: string; closesAt: string };
  appraisers: TestUser[];
  applicants: TestUser[];
  bidIds: string[];
}

/**
 * Publishes the D2N2 call, has one applicant per body submit a bid, moves the clock past the deadline and
 * sets a panel of `panelSize` appraisers (unless it is 0).
 */
export async function aClosedCallWithBids(
  test: TestApp,
  bodies: BidFields[] = [aBidBody()],
  panelSize = 2,
): Promise<ClosedCall> {
  const officer = await anOfficer(test);
  const call = await aPublishedCall(officer);
  const applicants: TestUser[] = [];
  const bidIds: string[] = [];
  for (const body of bodies) {
    const applicant = await anApplicant(test);
    const bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(body).expect(201)).body;
    await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200);
    applicants.push(applicant);
    bidIds.push(bid.id);
  }
  test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
  const appraisers: TestUser[] = [];
  for (let i = 0; i < panelSize; i += 1) appraisers.push(await anAppraiser(test, officer.actor.funderId!));
  if (panelSize > 0)
    await officer.agent
      .put(`/api/v1/calls/${call.id}/panel`)
      .send({ appraiserIds: appraisers.map((a) => a.actor.id) })
      .expect(200);
  return { officer, call, appraisers, applicants, bidIds };
}

/** A full score sheet giving each criterion `score(criterion)`, with comments where they are required. */
export function aScoreSheet(score: (criterion: string) => number, submit = true) {
  return {
    submit,
    scores: CRITERIA.map((criterion) => {
      const value = score(criterion);
      return value <= 2 ? { criterion, score: value, comment: `Weak on ${criterion}` } : { criterion, score: value };
    }),
  };
}

/** An appraiser declares no conflict and submits a sheet for a bid. */
export async function scoreBid(
  appraiser: TestUser,
  bidId: string,
  score: (criterion: string) => number,
): Promise<void> {
  await appraiser.agent.post(`/api/v1/bids/${bidId}/conflict`).send({ conflict: false }).expect(200);
  await appraiser.agent.put(`/api/v1/bids/${bidId}/scores/mine`).send(aScoreSheet(score)).expect(200);
}

/** A bid of a scored call: its body (the worked example's by default) and the score every appraiser gives it. */
export interface ScoredBid {
  body?: BidFields;
  /** Each criterion's score from every appraiser on the panel; a bid without one is left unscored. */
  score?: (criterion: string) => number;
}

/** A closed call with a panel of two, each of whose appraisers has scored each bid as `bids` says. */
export async function aScoredCall(test: TestApp, bids: ScoredBid[]): Promise<ClosedCall> {
  const closed = await aClosedCallWithBids(
    test,
    bids.map((bid) => bid.body ?? aBidBody()),
  );
  for (const appraiser of closed.appraisers)
    for (const [i, { score }] of bids.entries()) if (score) await scoreBid(appraiser, closed.bidIds[i], score);
  return closed;
}

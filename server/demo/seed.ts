/** Loads the worked example as demo data on the first start of an empty database. */
import type { AppContext } from '../context.ts';
import { createCall, publishCall } from '../calls/service.ts';
import { hashPassword } from '../identity/passwords.ts';
import { findUserById, insertFunder, insertOrganisation, insertUser } from '../identity/repository.ts';
import { toActor } from '../identity/service.ts';
import { d2n2HealthAndWellbeingCall } from './d2n2.ts';
import { loadDemoBids } from './bids.ts';
import { loadDemoAppraisal } from './appraisal.ts';
import { DEMO_PARTNER, loadDemoConsortium, loadDemoOffers } from './consortium.ts';
import { listBids } from '../bids/repository.ts';
import { answerClarification, raiseClarification } from '../bids/clarifications.ts';

const DAY = 24 * 3600 * 1000;

export const DEMO_PASSWORD = 'demo-password-2026';

type DemoOrganisation = 'wellDerby' | 'nottsPathways' | 'amberValley' | 'derbyCarers';

/** The demo's sign-ins, as `npm start` prints them: what each person is, and for applicants their organisation. */
export const DEMO_USERS: readonly {
  email: string;
  name: string;
  role: 'officer' | 'appraiser' | 'applicant';
  organisation?: DemoOrganisation;
  /** What the person does in the demo, printed beside their sign-in. */
  note: string;
}[] = [
  { email: 'officer@d2n2.example', name: 'Demo Officer', role: 'officer', note: 'runs both D2N2 calls' },
  { email: 'appraiser.one@d2n2.example', name: 'Appraiser One', role: 'appraiser', note: 'on the closed call’s panel' },
  { email: 'appraiser.two@d2n2.example', name: 'Appraiser Two', role: 'appraiser', note: 'on the closed call’s panel' },
  {
    email: 'bids@working-well-derby.example',
    name: 'Bid Writer (Working Well Derby)',
    role: 'applicant',
    organisation: 'wellDerby',
    note: 'leads a clarified bid on the closed call and a consortium draft on the open one',
  },
  {
    email: 'bids@notts-pathways.example',
    name: 'Bid Writer (Nottinghamshire Pathways)',
    role: 'applicant',
    organisation: 'nottsPathways',
    note: 'three bids on the closed call; a partnership offer on the open one',
  },
  {
    email: DEMO_PARTNER.email,
    name: DEMO_PARTNER.name,
    role: 'applicant',
    organisation: 'derbyCarers',
    note: 'delivery partner that joined Carers into Work Derby by invitation, its part complete',
  },
  {
    email: 'bids@amber-valley-mind.example',
    name: 'Bid Writer (Amber Valley Mind)',
    role: 'applicant',
    organisation: 'amberValley',
    note: 'a partnership offer on the open call, in no bid yet',
  },
];

/** Whether the database is empty of people, which is when demo data may be loaded. */
export async function databaseIsEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.knex('users').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0) === 0;
}

/**
 * Loads the demo: the D2N2 funder and people, the D2N2 call closed with its bids scored by both appraisers (so a
 * newcomer sees a ranking and funding plans at once) and one bid's clarification answered, and a second call open
 * for bidding, with a consortium draft whose partner joined by invitation and two partnership offers.
 */
export async function loadDemoData(ctx: AppContext): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = await ctx.knex.transaction(async (trx) => {
    const funder = await insertFunder(trx, 'D2N2 Local Enterprise Partnership');
    const wellDerby = await insertOrganisation(trx, {
      name: 'Working Well Derby Consortium',
      type: 'vcs',
      charityNumber: '1190001',
      companyNumber: null,
    });
    const nottsPathways = await insertOrganisation(trx, {
      name: 'Nottinghamshire Pathways Partnership',
      type: 'vcs',
      charityNumber: '1190002',
      companyNumber: '11900020',
    });
    const amberValley = await insertOrganisation(trx, {
      name: 'Amber Valley Mind',
      type: 'vcs',
      charityNumber: '1190004',
      companyNumber: null,
    });
    const organisations: Partial<Record<DemoOrganisation, string>> = {
      wellDerby: wellDerby.id,
      nottsPathways: nottsPathways.id,
      amberValley: amberValley.id,
    };
    const userIds: Record<string, string> = {};
    for (const person of DEMO_USERS) {
      // The partner's bid writer registers their organisation on accepting its invitation (loadDemoConsortium).
      if (person.organisation === 'derbyCarers') continue;
      const staff = person.role !== 'applicant';
      const user = await insertUser(trx, {
        email: person.email,
        passwordHash,
        name: person.name,
        role: person.role,
        funderId: staff ? funder.id : null,
        organisationId: person.organisation ? organisations[person.organisation]! : null,
      });
      userIds[person.email] = user.id;
    }
    return userIds;
  });

  const actor = async (email: string) => toActor((await findUserById(ctx.knex, ids[email]))!);
  const officer = await actor('officer@d2n2.example');
  const now = ctx.clock.now().getTime();

  // The worked example ran its course: published, bid for and closed; made at the times it happened.
  const then = (daysAgo: number): AppContext => ({ ...ctx, clock: { now: () => new Date(now - daysAgo * DAY) } });
  const { call } = await createCall(
    then(75),
    officer,
    d2n2HealthAndWellbeingCall(new Date(now - 70 * DAY), new Date(now - 14 * DAY)),
  );
  await publishCall(then(75), officer, call.id);
  await loadDemoBids(then(30), call.id, {
    wellDerby: await actor('bids@working-well-derby.example'),
    nottsPathways: await actor('bids@notts-pathways.example'),
  });
  // After the deadline the officer asked one bid to confirm its match funding, and the lead answered in time:
  // the answered version is the one the panel scores.
  const { bid: clarified } = (await listBids(ctx.knex, call.id)).find(
    (b) => b.bid.draft.title === 'Working Well Together',
  )!;
  const question = await raiseClarification(then(12), officer, clarified.id, {
    question: "Derby City Council's match is shown as secured: please confirm its amount, and that it is cash.",
    sections: ['match-funding'],
    respondBy: new Date(now - 5 * DAY).toISOString(),
  });
  await answerClarification(then(8), await actor('bids@working-well-derby.example'), clarified.id, question.id, {
    answer: 'Confirmed: £400,000 in cash from Derby City Council, as its letter of 3 January says.',
    changes: { matchFunding: clarified.draft.matchFunding },
  });
  await loadDemoAppraisal(ctx, call.id, officer, [
    await actor('appraiser.one@d2n2.example'),
    await actor('appraiser.two@d2n2.example'),
  ]);

  // A second call, open now, so that bidding can be tried.
  const open = d2n2HealthAndWellbeingCall(new Date(now - 7 * DAY), new Date(now + 60 * DAY), 'OC08S17P0802');
  open.title = 'Health and Wellbeing (second round)';
  const { call: openCall } = await createCall(ctx, officer, open);
  await publishCall(ctx, officer, openCall.id);
  // On it, a consortium whose delivery partner joined by invitation, and two organisations offering partnership.
  await loadDemoConsortium(ctx, openCall.id, await actor('bids@working-well-derby.example'), DEMO_PASSWORD);
  await loadDemoOffers(ctx, openCall.id, {
    amberValley: await actor('bids@amber-valley-mind.example'),
    nottsPathways: await actor('bids@notts-pathways.example'),
  });
}

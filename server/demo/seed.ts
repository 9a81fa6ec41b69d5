/** Loads the worked example as demo data on the first start of an empty database. */
import type { AppContext } from '../context.ts';
import { createCall, publishCall } from '../calls/service.ts';
import { hashPassword } from '../identity/passwords.ts';
import { findUserById, insertFunder, insertOrganisation, insertUser } from '../identity/repository.ts';
import { toActor } from '../identity/service.ts';
import { d2n2HealthAndWellbeingCall } from './d2n2.ts';
import { loadDemoBids } from './bids.ts';

export const DEMO_PASSWORD = 'demo-password-2026';

export const DEMO_USERS = [
  { email: 'officer@d2n2.example', name: 'Demo Officer', role: 'officer' },
  { email: 'appraiser.one@d2n2.example', name: 'Appraiser One', role: 'appraiser' },
  { email: 'appraiser.two@d2n2.example', name: 'Appraiser Two', role: 'appraiser' },
  { email: 'bids@working-well-derby.example', name: 'Bid Writer (Working Well Derby)', role: 'applicant' },
  { email: 'bids@notts-pathways.example', name: 'Bid Writer (Nottinghamshire Pathways)', role: 'applicant' },
] as const;

/** Whether the database is empty of people, which is when demo data may be loaded. */
export async function databaseIsEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.knex('users').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0) === 0;
}

/** Loads the demo funder, people, the D2N2 call (published, so its below-floor warning shows) and its bids. */
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
    const userIds: Record<string, string> = {};
    for (const person of DEMO_USERS) {
      const staff = person.role !== 'applicant';
      const organisationId = person.email.includes('working-well') ? wellDerby.id : nottsPathways.id;
      const user = await insertUser(trx, {
        email: person.email,
        passwordHash,
        name: person.name,
        role: person.role,
        funderId: staff ? funder.id : null,
        organisationId: staff ? null : organisationId,
      });
      userIds[person.email] = user.id;
    }
    return userIds;
  });

  const officer = toActor((await findUserById(ctx.knex, ids['officer@d2n2.example']))!);
  const now = ctx.clock.now();
  const opensAt = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  const closesAt = new Date(now.getTime() + 60 * 24 * 3600 * 1000);
  const { call } = await createCall(ctx, officer, d2n2HealthAndWellbeingCall(opensAt, closesAt));
  await publishCall(ctx, officer, call.id);

  const applicant = async (email: string) => toActor((await findUserById(ctx.knex, ids[email]))!);
  await loadDemoBids(ctx, call.id, {
    wellDerby: await applicant('bids@working-well-derby.example'),
    nottsPathways: await applicant('bids@notts-pathways.example'),
  });
}

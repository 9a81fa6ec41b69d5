/** Helpers for the people tests: the token an invitation's e-mail carries, and colleagues of an organisation. */
import supertest from 'supertest';
import { findUserById, insertUser } from '../../server/identity/repository.ts';
import { toActor } from '../../server/identity/service.ts';
import { asApiClient, fixturePasswordHash, signInAs, type TestApp, type TestUser } from './app.ts';

let counter = 0;

/** The token in the link of the newest invitation e-mailed to `email`, read from the outbox row's plain text. */
export async function invitationTokenTo(test: TestApp, email: string): Promise<string> {
  const mail = await test
    .knex('mail_outbox')
    .whereRaw('lower(to_address) = lower(?)', [email])
    .where({ template: 'invitation' })
    .orderBy('id', 'desc')
    .first();
  if (!mail) throw new Error(`No invitation e-mailed to ${email}`);
  const match = /\/invitations\/([A-Za-z0-9_-]{43})\b/.exec(mail.textBody as string);
  if (!match) throw new Error(`No invitation link in the e-mail to ${email}`);
  return match[1];
}

/** A signed-in applicant who belongs to the organisation with the given role. */
export async function aColleague(
  test: TestApp,
  organisationId: string,
  organisationRole: 'admin' | 'member',
): Promise<TestUser> {
  counter += 1;
  const email = `colleague-${counter}-${Date.now()}@test.example`;
  const user = await insertUser(test.knex, {
    email,
    passwordHash: await fixturePasswordHash(),
    name: `Colleague ${counter}`,
    role: 'applicant',
    funderId: null,
    organisationId,
    organisationRole,
  });
  const actor = toActor((await findUserById(test.knex, user.id))!);
  return { actor, email, agent: await signInAs(asApiClient(supertest.agent(test.app)), email) };
}

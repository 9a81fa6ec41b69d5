/** Registration, sign-in and the people who run funders. */
import type { Knex } from 'knex';
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { Conflict, Unauthorised } from '../errors.ts';
import type { User } from '../models/identity.ts';
import { validate } from '../validation.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import * as repository from './repository.ts';

export interface RegisterBody {
  email: string;
  password: string;
  name: string;
  organisation: {
    name: string;
    type: 'vcs' | 'public' | 'private' | 'education' | 'health';
    charityNumber?: string;
    companyNumber?: string;
  };
}

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Actor['role'];
  funderId?: string;
  organisation?: {
    id: string;
    name: string;
    type: string;
    charityNumber?: string;
    companyNumber?: string;
    /** What the user is to the organisation: its admins also invite and remove people. */
    role?: 'admin' | 'member';
  };
}

/** The user as the API shows it: never the password hash. */
export function presentUser(user: User): PublicUser {
  const result: PublicUser = { id: user.id, email: user.email, name: user.name, role: user.role };
  if (user.funderId) result.funderId = user.funderId;
  if (user.organisation) {
    const { id, name, type, charityNumber, companyNumber } = user.organisation;
    result.organisation = { id, name, type };
    if (charityNumber) result.organisation.charityNumber = charityNumber;
    if (companyNumber) result.organisation.companyNumber = companyNumber;
    if (user.organisationRole) result.organisation.role = user.organisationRole;
  }
  return result;
}

/** The actor a service acts for, from a stored user. */
export function toActor(user: User): Actor {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    funderId: user.funderId,
    organisationId: user.organisationId,
    organisationRole: user.organisationRole,
  };
}

async function refuseTakenEmail(knex: Knex, email: string): Promise<void> {
  if (await repository.findUserByEmail(knex, email)) {
    throw new Conflict('An account with that e-mail address already exists', [
      { path: '/email', message: 'An account with that e-mail address already exists' },
    ]);
  }
}

/**
 * A bid writer registers themselves and their organisation; they become its first admin. `admit` (the
 * throttle) is asked once the body is valid. The password is hashed before the address is looked up, so an address
 * that has an account is refused after the same work, and the same time, as a new one is registered.
 */
export async function register(
  ctx: AppContext,
  body: unknown,
  admit: () => Promise<void> = async () => {},
): Promise<User> {
  const input = validate<RegisterBody>('register.schema.json', body);
  await admit();
  const passwordHash = await hashPassword(input.password);
  await refuseTakenEmail(ctx.knex, input.email);
  const userId = await ctx.knex.transaction(async (trx) => {
    const organisation = await repository.insertOrganisation(trx, {
      name: input.organisation.name.trim(),
      type: input.organisation.type,
      charityNumber: input.organisation.charityNumber ?? null,
      companyNumber: input.organisation.companyNumber ?? null,
    });
    const user = await repository.insertUser(trx, {
      email: input.email,
      passwordHash,
      name: input.name.trim(),
      role: 'applicant',
      funderId: null,
      organisationId: organisation.id,
      organisationRole: 'admin',
    });
    return user.id;
  });
  return (await repository.findUserById(ctx.knex, userId))!;
}

/** Checks an e-mail and password; the same refusal whether the e-mail is unknown or the password wrong. */
export async function signIn(ctx: AppContext, body: unknown): Promise<User> {
  const input = validate<{ email: string; password: string }>('session.create.schema.json', body);
  const user = await repository.findUserByEmail(ctx.knex, input.email);
  const valid = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !valid) throw new Unauthorised('The e-mail address or password is not right');
  return (await repository.findUserById(ctx.knex, user.id))!;
}

/** An officer adds an officer or appraiser to their own funder. */
export async function createStaffUser(ctx: AppContext, actor: Actor, body: unknown): Promise<User> {
  const { funderId } = access.funderStaff(actor);
  const input = validate<{ email: string; password: string; name: string; role: 'officer' | 'appraiser' }>(
    'user.create.schema.json',
    body,
  );
  await refuseTakenEmail(ctx.knex, input.email);
  const passwordHash = await hashPassword(input.password);
  return repository.insertUser(ctx.knex, {
    email: input.email,
    passwordHash,
    name: input.name.trim(),
    role: input.role,
    funderId,
    organisationId: null,
  });
}

/** Adds a funder with its first officer, in one transaction (operators' `npm run funder:add`). */
export async function addFunderWithOfficer(
  knex: Knex,
  input: { funderName: string; officerEmail: string; officerName: string; password: string },
): Promise<{ funderId: string; officerId: string }> {
  if (input.password.length < 12) throw new Conflict('The password must be at least 12 characters');
  if (await repository.findFunderByName(knex, input.funderName))
    throw new Conflict(`A funder named "${input.funderName}" already exists`);
  await refuseTakenEmail(knex, input.officerEmail);
  const passwordHash = await hashPassword(input.password);
  return knex.transaction(async (trx) => {
    const funder = await repository.insertFunder(trx, input.funderName);
    const officer = await repository.insertUser(trx, {
      email: input.officerEmail,
      passwordHash,
      name: input.officerName,
      role: 'officer',
      funderId: funder.id,
      organisationId: null,
    });
    return { funderId: funder.id, officerId: officer.id };
  });
}

/** Makes the officer named in the environment when the database has no officer yet. */
export async function ensureBootstrapOfficer(ctx: AppContext): Promise<string | undefined> {
  const { officerEmail, officerPassword, funderName } = ctx.config.bootstrap;
  if (!officerEmail || !officerPassword) return undefined;
  if (await repository.anyOfficerExists(ctx.knex)) return undefined;
  const funder = await repository.findFunderByName(ctx.knex, funderName);
  if (funder) {
    await repository.insertUser(ctx.knex, {
      email: officerEmail,
      passwordHash: await hashPassword(officerPassword),
      name: 'Bootstrap officer',
      role: 'officer',
      funderId: funder.id,
      organisationId: null,
    });
  } else {
    await addFunderWithOfficer(ctx.knex, {
      funderName,
      officerEmail,
      officerName: 'Bootstrap officer',
      password: officerPassword,
    });
  }
  return officerEmail;
}

/** The signed-in user, freshly read. */
export async function currentUser(ctx: AppContext, userId: string): Promise<User | undefined> {
  return repository.findUserById(ctx.knex, userId);
}

/** The signed-in user as an actor, if the user still exists. */
export async function currentActor(ctx: AppContext, userId: string): Promise<Actor | undefined> {
  return repository.findActor(ctx.knex, userId);
}

/** Officers and appraisers of the actor's funder. */
export async function staffOfFunder(ctx: AppContext, actor: Actor, role: 'officer' | 'appraiser') {
  const { funderId } = access.funderStaff(actor);
  return repository.usersOfFunder(ctx.knex, funderId, role);
}

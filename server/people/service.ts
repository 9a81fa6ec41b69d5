/** Organisations' members, funders' staff, and invitations to join either (or, through kinds.ts, anything else). */
import type { Actor, AppContext } from '../context.ts';
import * as access from '../access/index.ts';
import { Conflict, Forbidden, NotFound } from '../errors.ts';
import type { Invitation, OrganisationRole, User } from '../models/identity.ts';
import { validate } from '../validation.ts';
import { recordAudit } from '../audit/repository.ts';
import { hashPassword } from '../identity/passwords.ts';
import { findUserById } from '../identity/repository.ts';
import { issueInvitation, liveInvitation, presentIssued, type IssuedInvitation } from './invitations.ts';
import { INVITATION_KINDS, type AcceptBody, type InvitationKindRule, type InvitationTarget } from './kinds.ts';
import * as repository from './repository.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One member of an organisation as the API shows them. */
export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: OrganisationRole;
}

/** The actor's organisation with its members, and for its admins the invitations still waiting. */
export interface OrganisationView {
  id: string;
  name: string;
  type: string;
  charityNumber?: string;
  companyNumber?: string;
  members: MemberView[];
  invitations?: IssuedInvitation[];
}

/** Any member reads their organisation and who belongs to it; its admins also see who is invited. */
export async function viewOwnOrganisation(ctx: AppContext, actor: Actor): Promise<OrganisationView> {
  const { organisationId, isAdmin } = access.organisationOfMember(actor);
  const found = await repository.organisationWithMembers(ctx.knex, organisationId);
  if (!found) throw new NotFound('Organisation');
  const { organisation, members } = found;
  const view: OrganisationView = {
    id: organisation.id,
    name: organisation.name,
    type: organisation.type,
    ...(organisation.charityNumber ? { charityNumber: organisation.charityNumber } : {}),
    ...(organisation.companyNumber ? { companyNumber: organisation.companyNumber } : {}),
    members: members.map((m) => ({ userId: m.id, name: m.name, email: m.email, role: m.organisationRole! })),
  };
  if (isAdmin) {
    const pending = await repository.pendingInvitations(ctx.knex, { organisationId }, ctx.clock.now());
    view.invitations = pending.map(presentIssued);
  }
  return view;
}

/**
 * An admin invites a colleague by e-mail, as admin or member: the invitation and its e-mail are written together.
 * Someone who already belongs to the organisation is not invited again.
 */
export async function inviteToOrganisation(ctx: AppContext, actor: Actor, body: unknown): Promise<IssuedInvitation> {
  const { organisationId } = access.organisationOfAdmin(actor);
  const input = validate<{ email: string; role: OrganisationRole }>('organisation.invitation.schema.json', body);
  const existing = await repository.findUserByEmail(ctx.knex, input.email);
  if (existing?.organisationId === organisationId)
    throw new Conflict(`${existing.name} already belongs to the organisation`, [
      { path: '/email', message: `${existing.name} already belongs to the organisation` },
    ]);
  const organisation = (await repository.findOrganisation(ctx.knex, organisationId))!;
  return ctx.knex.transaction((trx) =>
    issueInvitation(ctx, trx, {
      kind: 'organisation',
      email: input.email,
      role: input.role,
      organisationId,
      invitedBy: { id: actor.id, name: actor.name },
      purpose: `join ${organisation.name} as ${input.role === 'admin' ? 'an admin' : 'a member'}, to work on its bids`,
    }),
  );
}

/**
 * An admin removes someone from the organisation (themselves included), never its last admin; the invitations the
 * removed person sent that nobody has accepted go with them. The organisation's
 * row is locked while the admins are counted, so two admins removing each other at once cannot both succeed; and
 * the remover is read again under that lock, as a removal that got there first may have taken them out.
 */
export async function removeMember(ctx: AppContext, actor: Actor, userId: string): Promise<void> {
  const { organisationId } = access.organisationOfAdmin(actor);
  if (!UUID.test(userId)) throw new NotFound('Member');
  await ctx.knex.transaction(async (trx) => {
    await repository.lockOrganisation(trx, organisationId);
    const remover = await repository.findMember(trx, organisationId, actor.id);
    if (remover?.organisationRole !== 'admin') throw new Forbidden('You are no longer an admin of the organisation');
    const member = await repository.findMember(trx, organisationId, userId);
    if (!member) throw new NotFound('Member');
    if (member.organisationRole === 'admin' && (await repository.adminCount(trx, organisationId)) === 1)
      throw new Conflict(
        `${member.name} is the organisation's only admin: invite another admin, and once they have joined, ` +
          'remove this one',
      );
    const now = ctx.clock.now();
    await repository.leaveOrganisation(trx, member.id);
    // Whoever they invited and has not yet joined is no longer let in on their word.
    await repository.revokeSentBy(trx, organisationId, member.id, now);
    await recordAudit(trx, {
      actorId: actor.id,
      action: 'organisation.member-removed',
      before: { organisationId, userId: member.id, email: member.email, role: member.organisationRole },
      at: now,
    });
  });
}

/** The officers and appraisers of the officer's funder, and the invitations still waiting. */
export async function viewStaff(ctx: AppContext, actor: Actor) {
  const { funderId } = access.funderStaff(actor);
  const [funder, staff, pending] = await Promise.all([
    repository.findFunder(ctx.knex, funderId),
    repository.staffOf(ctx.knex, funderId),
    repository.pendingInvitations(ctx.knex, { funderId }, ctx.clock.now()),
  ]);
  return {
    funder: { id: funderId, name: funder!.name },
    staff: staff.map((u) => ({ userId: u.id, name: u.name, email: u.email, role: u.role })),
    invitations: pending.map((i) => ({ ...presentIssued(i), name: i.name })),
  };
}

/**
 * An officer invites an officer or appraiser of their own funder by e-mail; the person sets their own password on
 * accepting. An address that has an account already is refused, as POST /api/v1/users refuses it.
 */
export async function inviteStaff(ctx: AppContext, actor: Actor, body: unknown): Promise<IssuedInvitation> {
  const { funderId } = access.funderStaff(actor);
  const input = validate<{ email: string; name: string; role: 'officer' | 'appraiser' }>(
    'staff.invitation.schema.json',
    body,
  );
  if (await repository.findUserByEmail(ctx.knex, input.email))
    throw new Conflict('An account with that e-mail address already exists', [
      { path: '/email', message: 'An account with that e-mail address already exists' },
    ]);
  const funder = (await repository.findFunder(ctx.knex, funderId))!;
  return ctx.knex.transaction((trx) =>
    issueInvitation(ctx, trx, {
      kind: 'staff',
      email: input.email,
      name: input.name,
      role: input.role,
      funderId,
      invitedBy: { id: actor.id, name: actor.name },
      purpose: `join ${funder.name} as ${input.role === 'officer' ? 'an officer' : 'an appraiser'} on Funding calls`,
    }),
  );
}

/** An invitation as anyone with its link reads it. */
export interface InvitationView extends InvitationTarget {
  kind: Invitation['kind'];
  email: string;
  role?: string;
  /** The name the inviter gave (staff), to start the acceptance form with. */
  name?: string;
  invitedBy: { name: string };
  expiresAt: string;
}

function ruleOf(invitation: Invitation | undefined): { invitation: Invitation; rule: InvitationKindRule } {
  const rule = invitation ? INVITATION_KINDS[invitation.kind] : undefined;
  if (!invitation || !rule) throw new NotFound('Invitation');
  return { invitation, rule };
}

/** Whoever has the link reads what it invites to; unknown, used, replaced and expired links are all not found. */
export async function viewInvitation(ctx: AppContext, token: string): Promise<InvitationView> {
  const { invitation, rule } = ruleOf(await liveInvitation(ctx, token));
  const inviter = (await repository.findUser(ctx.knex, invitation.invitedBy))!;
  return {
    kind: invitation.kind,
    email: invitation.email,
    ...(invitation.role ? { role: invitation.role } : {}),
    ...(invitation.name ? { name: invitation.name } : {}),
    ...(await rule.describe(ctx.knex, invitation, ctx.clock.now())),
    invitedBy: { name: inviter.name },
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** What accepting an invitation led to: the person (to sign in, when new) and the bid, for one to a bid. */
export interface Accepted {
  user: User;
  created: boolean;
  bidId?: string;
}

/**
 * Accepting an invitation. Signed in with the invited address, the person joins what it is to; not signed in,
 * `{name, password}` creates the account with that address (one who has an account already signs in first).
 * Signed in as anyone else is refused. The invitation is locked and checked again in the transaction that uses
 * it, so two acceptances at once use it once; an unknown, used or expired link is not found and changes nothing.
 */
export async function acceptInvitation(
  ctx: AppContext,
  actor: Actor | undefined,
  token: string,
  body: unknown,
): Promise<Accepted> {
  const { invitation } = ruleOf(await liveInvitation(ctx, token));
  if (actor && !sameAddress(actor.email, invitation.email))
    throw new Conflict(
      `You are signed in as ${actor.email}, but this invitation is for ${invitation.email}. ` +
        'Sign out, then open the link again.',
    );
  let person: { name: string; passwordHash: string; body: AcceptBody } | undefined;
  if (!actor) {
    if (await repository.findUserByEmail(ctx.knex, invitation.email))
      throw new Conflict(`${invitation.email} already has an account: sign in first, then open the link again`);
    const input = validate<AcceptBody>('invitation.accept.schema.json', body);
    // Hashed before the transaction, so the invitation is not held locked through the slow part.
    person = { name: input.name.trim(), passwordHash: await hashPassword(input.password), body: input };
  }
  const admitted = await ctx.knex.transaction(async (trx) => {
    const { invitation: locked, rule } = ruleOf(await liveInvitation(ctx, token, trx));
    const now = ctx.clock.now();
    const result = person
      ? await rule.admitNew(trx, locked, { email: locked.email, ...person }, now)
      : await rule.admitExisting(trx, locked, actor!, now);
    await repository.markAccepted(trx, locked.id, result.userId, now);
    await recordAudit(trx, {
      actorId: result.userId,
      action: 'invitation.accepted',
      bidId: locked.bidId,
      after: { invitationId: locked.id, kind: locked.kind, role: locked.role },
      at: now,
    });
    return result;
  });
  const user = (await findUserById(ctx.knex, admitted.userId))!;
  return { user, created: person !== undefined, ...(admitted.bidId ? { bidId: admitted.bidId } : {}) };
}

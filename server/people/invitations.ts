/**
 * Invitations of every kind: made (`issueInvitation`, which any feature calls inside its own transaction), looked
 * up by the token in their link, and used once. The token is 32 random bytes, in the e-mailed link only; the table
 * keeps its SHA-256, so whoever reads the table cannot accept anything. What accepting does differs by kind, and is
 * the kind's rule in kinds.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import type { Invitation, InvitationKind } from '../models/identity.ts';
import { recordAudit } from '../audit/repository.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';
import * as repository from './repository.ts';

/** How long an invitation's link works. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The SHA-256 of a token, as the table keeps it. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The path of an invitation's page, which its e-mail links to. */
export function invitationPath(token: string): string {
  return `/invitations/${token}`;
}

/** Whether an invitation can still be accepted at `now`: not used, not replaced, and not yet expired. */
export function isLive(invitation: Pick<Invitation, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return invitation.acceptedAt === null && invitation.revokedAt === null && now < invitation.expiresAt;
}

/** What an invitation is made of: its kind, the address, the role, and what it is to. */
export interface InvitationSpec {
  kind: InvitationKind;
  email: string;
  role?: Invitation['role'];
  /** The name the inviter gave the person (staff). */
  name?: string;
  organisationId?: string;
  funderId?: string;
  bidId?: string;
  partnerId?: string;
  invitedBy: { id: string; name: string };
  /** What the person is invited to, as the e-mail says it after "has invited you to": "join … as a member". */
  purpose: string;
  /** For an invitation about a bid, the call it is on (the e-mail is listed with the call's mail). */
  callId?: string;
}

/** An invitation as its inviter is answered: never the token. */
export interface IssuedInvitation {
  id: string;
  email: string;
  role?: string;
  expiresAt: string;
}

/**
 * Makes an invitation in the caller's transaction and queues its e-mail there too: either both are written or
 * neither. An unaccepted invitation to the same thing is replaced (repository.revokeEarlier says what is the same).
 * The invitation and its sending are on the audit trail, on the bid's for an invitation about a bid.
 */
export async function issueInvitation(
  ctx: AppContext,
  trx: Knex.Transaction,
  spec: InvitationSpec,
): Promise<IssuedInvitation> {
  const now = ctx.clock.now();
  const token = newToken();
  const row = {
    kind: spec.kind,
    email: spec.email.trim(),
    role: spec.role ?? null,
    name: spec.name?.trim() ?? null,
    organisationId: spec.organisationId ?? null,
    funderId: spec.funderId ?? null,
    bidId: spec.bidId ?? null,
    partnerId: spec.partnerId ?? null,
    invitedBy: spec.invitedBy.id,
    tokenHash: tokenHash(token),
    expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
  };
  await repository.revokeEarlier(trx, row, now);
  const invitation = await repository.insertInvitation(trx, row);
  await recordAudit(trx, {
    actorId: spec.invitedBy.id,
    action: 'invitation.sent',
    bidId: spec.bidId ?? null,
    callId: spec.callId ?? null,
    after: { invitationId: invitation.id, kind: spec.kind, email: row.email, role: row.role },
    at: now,
  });
  await queueMail(ctx, trx, {
    to: row.email,
    template: 'invitation',
    data: {
      inviterName: spec.invitedBy.name,
      purpose: spec.purpose,
      link: mailLink(ctx, invitationPath(token)),
      expiresAt: row.expiresAt,
    },
    ...(spec.bidId ? { bidId: spec.bidId } : {}),
    ...(spec.callId ? { callId: spec.callId } : {}),
  });
  return presentIssued(invitation);
}

/** An invitation as its inviter sees it. */
export function presentIssued(invitation: Invitation): IssuedInvitation {
  return {
    id: invitation.id,
    email: invitation.email,
    ...(invitation.role ? { role: invitation.role } : {}),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/**
 * The live invitation a token opens, or undefined when the token is unknown, used, replaced or expired (one
 * answer for all of them). With `trx`, the row is locked: two acceptances of one link take turns, and the second
 * finds it used.
 */
export async function liveInvitation(
  ctx: AppContext,
  token: string,
  trx?: Knex.Transaction,
): Promise<Invitation | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const invitation = await repository.findInvitationByHash(trx ?? ctx.knex, tokenHash(token), trx !== undefined);
  return invitation && isLive(invitation, ctx.clock.now()) ? invitation : undefined;
}

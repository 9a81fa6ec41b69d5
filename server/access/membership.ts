/**
 * Who a person is to a funder or an organisation: the words every access rule is written in. When organisations
 * gain members and bids gain partner organisations, these change, and only these.
 */
import type { Actor } from '../context.ts';

/** Whether the actor is an officer of the funder. */
export function isOfficerOf(actor: Actor | undefined, funderId: string): boolean {
  return actor?.role === 'officer' && actor.funderId === funderId;
}

/** Whether the actor is an appraiser of the funder. */
export function isAppraiserOf(actor: Actor | undefined, funderId: string): boolean {
  return actor?.role === 'appraiser' && actor.funderId === funderId;
}

/**
 * Whether the actor acts for the organisation: an applicant who belongs to it, admin or member alike (a person
 * belongs to at most one organisation at a time; every member works on all of its bids).
 */
export function isMemberOf(actor: Actor | undefined, organisationId: string): boolean {
  return actor?.role === 'applicant' && actor.organisationId !== null && actor.organisationId === organisationId;
}

/** Whether the actor is an admin of the organisation: a member who also invites and removes its people. */
export function isAdminOf(actor: Actor | undefined, organisationId: string): boolean {
  return isMemberOf(actor, organisationId) && actor!.organisationRole === 'admin';
}

/** Whether the actor acts for a delivery partner that joined the bid: a member of a partner row's organisation. */
export function isPartnerIn(
  actor: Actor | undefined,
  partners: readonly { role: string; organisationId?: string | null }[] | undefined,
): boolean {
  return (partners ?? []).some((p) => p.role === 'delivery' && p.organisationId && isMemberOf(actor, p.organisationId));
}

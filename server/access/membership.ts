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

type PartnerRow = { role: string; organisationId?: string | null };

/**
 * Whether the actor acts for this partner row: a member of the organisation that joined the bid as it, a delivery
 * partner. The rule of every partner's member: they handle (change, add files to) only such parts of a bid.
 */
export function actsForPartner(actor: Actor | undefined, partner: PartnerRow): boolean {
  return partner.role === 'delivery' && !!partner.organisationId && isMemberOf(actor, partner.organisationId);
}

/** The ids of the partner rows the actor acts for (actsForPartner): the parts its organisation joined a bid as. */
export function partsActedFor(
  actor: Actor | undefined,
  partners: readonly (PartnerRow & { id?: string })[] | undefined,
): string[] {
  return (partners ?? []).filter((p) => p.id && actsForPartner(actor, p)).map((p) => p.id!);
}

/** Whether the actor acts for a delivery partner that joined the bid: a member of a partner row's organisation. */
export function isPartnerIn(actor: Actor | undefined, partners: readonly PartnerRow[] | undefined): boolean {
  return (partners ?? []).some((p) => actsForPartner(actor, p));
}

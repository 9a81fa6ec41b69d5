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

/** Whether the actor acts for the organisation: today, an applicant of that organisation. */
export function isMemberOf(actor: Actor | undefined, organisationId: string): boolean {
  return actor?.role === 'applicant' && actor.organisationId !== null && actor.organisationId === organisationId;
}

/**
 * Who manages people. Every member of an organisation sees who else belongs to it; only its admins invite and
 * remove them. An officer invites the officers and appraisers of their own funder. An applicant who belongs to
 * no organisation (removed from one) has none to see: not found.
 */
import type { Actor } from '../context.ts';
import { Forbidden, NotFound } from '../errors.ts';
import { grant, type Reached } from './grant.ts';
import { isAdminOf, isMemberOf } from './membership.ts';

/** The organisation the actor belongs to, for reading its members. */
export type MemberOfOrganisation = Reached<'organisationMember', { organisationId: string; isAdmin: boolean }>;
/** The organisation the actor administers, for inviting and removing its people. */
export type AdminOfOrganisation = Reached<'organisationAdmin', { organisationId: string }>;
/** The funder whose staff an officer lists and invites. */
export type StaffOfFunder = Reached<'funderStaff', { funderId: string }>;

/** The actor's own organisation; anyone but an applicant is refused, an applicant without one finds none. */
export function organisationOfMember(actor: Actor): MemberOfOrganisation {
  if (actor.role !== 'applicant') throw new Forbidden('Only applicants belong to organisations');
  const organisationId = actor.organisationId;
  if (!organisationId || !isMemberOf(actor, organisationId)) throw new NotFound('Organisation');
  return grant('organisationMember', { organisationId, isAdmin: isAdminOf(actor, organisationId) });
}

/** The organisation the actor administers; a member who is not an admin is refused. */
export function organisationOfAdmin(actor: Actor): AdminOfOrganisation {
  const { organisationId, isAdmin } = organisationOfMember(actor);
  if (!isAdmin) throw new Forbidden('Only an admin of the organisation invites and removes people');
  return grant('organisationAdmin', { organisationId });
}

/** The funder an officer adds officers and appraisers to; anyone else is refused. */
export function funderStaff(actor: Actor): StaffOfFunder {
  if (actor.role !== 'officer' || !actor.funderId) throw new Forbidden('Only officers add officers and appraisers');
  return grant('funderStaff', { funderId: actor.funderId });
}

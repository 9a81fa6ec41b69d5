/** The people pages' view models, from what the services answer (pure). */
import type { Actor } from '../context.ts';
import { AppError, NotFound } from '../errors.ts';
import type { User } from '../models/identity.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import {
  errorsByField,
  fieldView,
  optionsFor,
  ORGANISATION_TYPES,
  type ErrorItem,
  type FormReader,
  type FormValues,
} from '../web/forms.ts';
import type { InvitationView, MemberView, OrganisationView } from './service.ts';

export type Errors = ErrorItem[];

const ROLE_LABELS: Record<string, string> = {
  admin: 'Admin',
  member: 'Member',
  officer: 'Officer',
  appraiser: 'Appraiser',
};

/** A role as a page shows it. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

/** A service's refusal as error summary items: its details on their fields, else its message on `fallback`. */
export function formErrors(form: FormReader, error: AppError, fallback: string): Errors {
  return form.errorItems(error.details.length > 0 ? error.details : [{ path: fallback, message: error.message }]);
}

/**
 * The organisation page: its details, its members (an admin sees a remove link beside each but the only admin,
 * whom nobody can remove), and for admins the invitations still waiting.
 */
export function organisationPage(view: OrganisationView, actor: Pick<Actor, 'id'>) {
  const isAdmin = view.invitations !== undefined;
  const admins = view.members.filter((m) => m.role === 'admin').length;
  return {
    organisation: { name: view.name, charityNumber: view.charityNumber, companyNumber: view.companyNumber },
    isAdmin,
    members: view.members.map((m) => ({
      ...m,
      roleLabel: roleLabel(m.role),
      isYou: m.userId === actor.id,
      removable: isAdmin && !(m.role === 'admin' && admins === 1),
    })),
    invitations: (view.invitations ?? []).map((i) => ({
      email: i.email,
      roleLabel: roleLabel(i.role ?? ''),
      expires: formatLondonDateTime(i.expiresAt),
    })),
  };
}

/** The member a remove page is about; someone who does not belong to the organisation is not found. */
export function memberToRemove(view: OrganisationView, userId: string): MemberView & { organisationName: string } {
  const member = view.members.find((m) => m.userId === userId);
  if (!member) throw new NotFound('Member');
  return { ...member, organisationName: view.name };
}

/** The staff page: the funder's officers and appraisers, and the invitations still waiting. */
export function staffPage(view: {
  funder: { name: string };
  staff: { userId: string; name: string; email: string; role: string }[];
  invitations: { email: string; role?: string; name: string | null; expiresAt: string }[];
}) {
  return {
    funder: view.funder,
    staff: view.staff.map((s) => ({ ...s, roleLabel: roleLabel(s.role) })),
    invitations: view.invitations.map((i) => ({
      name: i.name ?? '',
      email: i.email,
      roleLabel: roleLabel(i.role ?? ''),
      expires: formatLondonDateTime(i.expiresAt),
    })),
  };
}

/** What an invitation is to, in words: "join Derby Community Partnership as a member". */
export function invitedTo(invitation: InvitationView): string {
  const role = invitation.role ? roleLabel(invitation.role).toLowerCase() : '';
  const article = /^[aeiou]/.test(role) ? 'an' : 'a';
  if (invitation.organisation) return `join ${invitation.organisation.name} as ${article} ${role}`;
  if (invitation.funder) return `join ${invitation.funder.name} as ${article} ${role}`;
  if (invitation.bid) return `be a partner in the bid ${invitation.bid.title} (${invitation.bid.reference})`;
  return 'join Funding calls';
}

/**
 * The invitation page: what it is to, and what the person can do. Signed in with the invited address, they
 * accept; signed in as anyone else, they sign out first; not signed in, they create their account (or sign in,
 * when the address has one).
 */
export function invitationPage(
  invitation: InvitationView,
  token: string,
  actor: Pick<Actor, 'email'> | undefined,
  values: FormValues | undefined,
  errors: Errors,
) {
  const signedInAs = actor?.email;
  // An invitation that can no longer be accepted (its bid's call has closed) says why, and offers nothing to do.
  const state = invitation.refusal
    ? 'refused'
    : !actor
      ? 'create'
      : actor.email.toLowerCase() === invitation.email.toLowerCase()
        ? 'accept'
        : 'other';
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const typedName = typeof values?.name === 'string' ? values.name : undefined;
  return {
    token,
    invitedBy: invitation.invitedBy.name,
    invitedTo: invitedTo(invitation),
    email: invitation.email,
    expires: formatLondonDateTime(invitation.expiresAt),
    signedInAs,
    refusal: invitation.refusal,
    accept: state === 'accept',
    other: state === 'other',
    create: state === 'create',
    signInPath: `/sign-in?next=${encodeURIComponent(`/invitations/${token}`)}`,
    name: { id: 'name', value: typedName ?? invitation.name ?? '', error: errorOf('name') },
    password: { id: 'password', value: '', error: errorOf('password') },
    // Someone joining a bid as its partner without an account registers their organisation as they accept.
    registersOrganisation: invitation.kind === 'partner',
    organisation: organisationFields(values ?? {}, errors),
  };
}

/** The inputs for the organisation a new partner registers, with what was typed and its errors. */
function organisationFields(values: FormValues, errors: Errors) {
  const byField = errorsByField(errors);
  const type = fieldView(values, byField, 'organisation-type');
  // A missing organisation is reported at /organisation: it belongs on its name.
  if (!type.error && !byField['organisation-name'] && byField.organisation)
    byField['organisation-name'] = byField.organisation;
  return {
    name: fieldView(values, byField, 'organisation-name'),
    type: { ...type, options: optionsFor(ORGANISATION_TYPES, type.value) },
    charityNumber: fieldView(values, byField, 'organisation-charityNumber'),
    companyNumber: fieldView(values, byField, 'organisation-companyNumber'),
  };
}

/** The message the next page shows once an invitation is accepted. */
export function acceptedMessage(user: Pick<User, 'name' | 'organisation' | 'role'>): string {
  if (user.role === 'applicant' && user.organisation)
    return `Welcome, ${user.name}. You now belong to ${user.organisation.name}.`;
  return `Welcome, ${user.name}. You are signed in as ${user.role === 'officer' ? 'an officer' : 'an appraiser'}.`;
}

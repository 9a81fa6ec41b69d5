/**
 * What the consortium's pages show, as plain data: each partner on the lead's task list with where it stands
 * (not invited, invited, joined, complete) and what the lead may do with it, a partner member's own part as a
 * task, and the part page's form (its row and the match lines it declares). Pure.
 */
import type { AttachmentRow } from '../models/bids.ts';
import { isLive } from '../people/invitations.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { formatPounds } from '../shared/money.ts';
import {
  ORGANISATION_TYPES,
  poundsInputValue,
  withoutUndefined,
  type FormReader,
  type FormValues,
} from '../web/forms.ts';
import { linesOf, type PartnerPart } from './consortium.ts';
import { KINDS, MATCH_STATUSES, SECTORS } from './labels.ts';
import { matchLineInputs, MATCH_LINE_FIELDS, putMatchLine, readMatchLine } from './sections/matchFunding.ts';
import { formParts, valuesBuilder } from './sections/section.ts';
import type { BidFields, Partner } from './types.ts';

/** Where a delivery partner stands: no live invitation, invited, joined by an organisation, its part complete. */
export type PartnerStanding = 'not-invited' | 'invited' | 'joined' | 'complete';

/** A partner row's newest invitation not replaced by another (repository.partnerInvitations). */
export interface PartnerInvitation {
  partnerId: string;
  email: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/** Where a delivery partner stands at `now`: joined (and complete) by its organisation, else by its invitation. */
export function partnerStanding(
  partner: Pick<Partner, 'organisationId' | 'completedAt'>,
  invitation: Pick<PartnerInvitation, 'expiresAt' | 'acceptedAt' | 'revokedAt'> | undefined,
  now: Date,
): PartnerStanding {
  if (partner.organisationId) return partner.completedAt ? 'complete' : 'joined';
  if (invitation && isLive(invitation, now)) return 'invited';
  return 'not-invited';
}

const STANDING_TAGS: Record<PartnerStanding, { text: string; tagClass: string }> = {
  'not-invited': { text: 'Not invited', tagClass: 'govuk-tag--grey' },
  invited: { text: 'Invited', tagClass: 'govuk-tag--blue' },
  joined: { text: 'Joined', tagClass: 'govuk-tag--yellow' },
  complete: { text: 'Complete', tagClass: 'govuk-tag--green' },
};

/** What a standing means, in a sentence under the partner's name. */
function standingHint(standing: PartnerStanding, partner: Partner, invitation: PartnerInvitation | undefined): string {
  switch (standing) {
    case 'complete':
      return `Its part was marked complete on ${formatLondonDateTime(partner.completedAt!)} (UK time).`;
    case 'joined':
      return 'It has joined the bid; its part is not marked complete yet.';
    case 'invited':
      return (
        `Invitation sent to ${invitation!.email}; the link works until ` +
        `${formatLondonDateTime(invitation!.expiresAt)} (UK time).`
      );
    default:
      return invitation && invitation.acceptedAt === null
        ? `The invitation to ${invitation.email} expired on ${formatLondonDateTime(invitation.expiresAt)} (UK time).`
        : 'Invite it by e-mail so that it fills in and completes its own part.';
  }
}

/**
 * The lead's list of the bid's partners: the lead's own row first as it is, then each delivery partner with its
 * standing as a tag, and while the bid can change, links to invite it (not once joined), remove it and open its part.
 */
export function partnerList(
  bidId: string,
  fields: BidFields,
  invitations: PartnerInvitation[],
  now: Date,
  editable: boolean,
) {
  // Newest first (repository.partnerInvitations): the first of each partner is the one that counts.
  const newest = new Map<string, PartnerInvitation>();
  for (const invitation of invitations)
    if (!newest.has(invitation.partnerId)) newest.set(invitation.partnerId, invitation);
  return (fields.partners ?? [])
    .filter((partner) => partner.id)
    .map((partner, i) => {
      const base = `/bids/${bidId}/partners/${partner.id}`;
      const shares = `ESF ${formatPounds(partner.esfPence)} · match ${formatPounds(partner.matchPence)}`;
      if (partner.role === 'lead')
        return { index: i + 1, id: partner.id, name: partner.name, lead: true, shares, actions: [] };
      const invitation = newest.get(partner.id!);
      const standing = partnerStanding(partner, invitation, now);
      const actions = editable
        ? [
            { href: `${base}/part`, text: 'Change its part' },
            ...(partner.organisationId
              ? []
              : [{ href: `${base}/invite`, text: standing === 'invited' ? 'Invite again' : 'Invite' }]),
            { href: `${base}/remove`, text: 'Remove' },
          ]
        : [{ href: `${base}/part`, text: 'See its part' }];
      return {
        index: i + 1,
        id: partner.id,
        name: partner.name,
        lead: false,
        standing,
        tag: STANDING_TAGS[standing],
        hint: standingHint(standing, partner, invitation),
        shares,
        actions,
      };
    });
}

/** A partner member's own part as a task: complete or incomplete, linking to its page. */
export function ownPartTask(bidId: string, partner: Partner) {
  return {
    title: `Your part: ${partner.name}`,
    href: `/bids/${bidId}/partners/${partner.id}/part`,
    hint: 'Your row of the partnership, the match funding you declare and your letters of commitment',
    status: partner.completedAt ? { text: 'Completed' } : { text: 'Incomplete', tagClass: 'govuk-tag--blue' },
  };
}

const PARTNER_FIELDS = ['name', 'type', 'charityNumber', 'companyNumber', 'esfPence', 'matchPence'] as const;

/**
 * A posted part page read into the body of a partner's part (bid.partner.schema.json): its row under
 * `/partner/…` and its lines under `/matchFunding/n/…`; blank lines are left out, so clearing a line removes it.
 */
export function readPart(form: FormReader): PartnerPart {
  const lines = form.rows('/matchFunding', MATCH_LINE_FIELDS, (row) => withoutUndefined(readMatchLine(form, row)));
  return withoutUndefined({
    partner: withoutUndefined({
      name: form.text('/partner/name'),
      type: form.text('/partner/type'),
      charityNumber: form.text('/partner/charityNumber'),
      companyNumber: form.text('/partner/companyNumber')?.toUpperCase(),
      esfPence: form.pounds('/partner/esfPence'),
      matchPence: form.pounds('/partner/matchPence'),
    }),
    matchFunding: lines,
  }) as unknown as PartnerPart;
}

/** The values the part page's form starts from: the partner's row and its lines as the draft holds them. */
export function partValues(fields: BidFields, partner: Partner): FormValues {
  const { values, put } = valuesBuilder();
  for (const field of PARTNER_FIELDS)
    put(
      `partner-${field}`,
      field === 'esfPence' || field === 'matchPence' ? poundsInputValue(partner[field]) : partner[field],
    );
  linesOf(fields, partner.id!).forEach((line, i) => putMatchLine(put, line, i));
  return values;
}

/** The part page's inputs: the row's fields and each line's, with values and errors, and `extraRows` blank lines. */
export function partForm(
  values: FormValues,
  errors: Record<string, string>,
  extraRows: number,
  files: Pick<AttachmentRow, 'id' | 'filename'>[],
) {
  const parts = formParts({ values, errors, extraRows });
  const { field, select } = parts;
  const letters = files.map((file) => ({ value: file.id, text: file.filename }));
  return {
    row: {
      name: field('partner-name'),
      type: select('partner-type', ORGANISATION_TYPES),
      charityNumber: field('partner-charityNumber'),
      companyNumber: field('partner-companyNumber'),
      esfPence: field('partner-esfPence'),
      matchPence: field('partner-matchPence'),
    },
    lines: parts.rows('matchFunding').map((i) => matchLineInputs(parts, values, i, letters)),
  };
}

const label = (choices: { value: string; text: string }[], value: string) =>
  choices.find((c) => c.value === value)?.text ?? value;

/** A part as a summary card: its row and its lines, as saved (shown read-only, or beside a conflicting form). */
export function partCard(fields: BidFields, partner: Partner, files: Pick<AttachmentRow, 'id' | 'filename'>[]) {
  const fileName = new Map(files.map((file) => [file.id, file.filename]));
  const lines = linesOf(fields, partner.id!);
  return {
    key: 'part',
    title: partner.name,
    rows: [
      {
        key: 'Organisation',
        lines: [
          label(ORGANISATION_TYPES, partner.type),
          ...(partner.charityNumber ? [`Charity number ${partner.charityNumber}`] : []),
          ...(partner.companyNumber ? [`Company number ${partner.companyNumber}`] : []),
        ],
      },
      { key: 'Share of the ESF', lines: [formatPounds(partner.esfPence)] },
      { key: 'Share of the match funding', lines: [formatPounds(partner.matchPence)] },
      ...lines.map((line) => ({
        key: line.funder,
        lines: [
          `${formatPounds(line.amountPence)} · ${label(SECTORS, line.sector)} · ${label(KINDS, line.kind)} · ` +
            `${label(MATCH_STATUSES, line.status)}`,
          line.evidenceAttachmentId
            ? `Evidence: ${fileName.get(line.evidenceAttachmentId) ?? 'a letter no longer on the bid'}`
            : 'No evidence letter',
        ],
      })),
      ...(lines.length === 0 ? [{ key: 'Match funding lines', lines: ['None declared'] }] : []),
    ],
  };
}

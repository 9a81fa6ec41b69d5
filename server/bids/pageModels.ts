/**
 * What the applicant's bid pages show, as plain data: the task list with each section's status derived from
 * the bid itself (never a stored flag), "check your answers", the receipt and the gateway in words. Pure.
 */
import { toCall } from '../calls/presenter.ts';
import type { Call, Finding, Indicator } from '../calls/types.ts';
import type { AttachmentRow, BidRow, BidVersionRow } from '../models/bids.ts';
import { formatPounds } from '../shared/money.ts';
import { fieldId, ORGANISATION_TYPES } from '../web/forms.ts';
import { formatLondonDate, formatLondonDateTime } from '../shared/londonFormat.ts';
import { missingForSubmission } from './completeness.ts';
import { takesChanges } from './deadlineLock.ts';
import { isDecided } from './status.ts';
import { bidEsfPence, declaredMatchPence } from './gateway.ts';
import {
  KINDS,
  MATCH_STATUSES,
  NARRATIVES,
  ROLES,
  sectionFor,
  SECTIONS,
  SECTORS,
  type SectionKey,
} from './sections/index.ts';
import type { BidView } from './service.ts';
import type { BidFields, GatewayCheck } from './types.ts';

export type TaskStatus = 'completed' | 'incomplete' | 'not-started' | 'optional';

/** Whether the applicant may still change the bid: the call takes bids and no decision has been made. */
export function isEditable(call: Pick<Call, 'status'>, bid: Pick<BidRow, 'status'>): boolean {
  return takesChanges(call.status) && !isDecided(bid);
}

/**
 * The fields the applicant sees: while the bid can change, the working draft; once locked, the last version
 * submitted (what the panel appraises), or the draft when nothing was ever submitted.
 */
export function shownFields(editable: boolean, draft: BidFields, version: BidVersionRow | undefined): BidFields {
  if (editable || !version) return draft;
  return (JSON.parse(version.canonicalJson) as { fields: BidFields }).fields;
}

const hasAny = (fields: BidFields, keys: (keyof BidFields)[]) =>
  keys.some((key) => {
    const value = fields[key];
    if (Array.isArray(value)) return value.length > 0;
    if (value && typeof value === 'object') return Object.keys(value).length > 0;
    return value !== undefined && value !== '';
  });

/**
 * A section's status from what the bid holds: not started when it holds nothing of the section; completed when
 * nothing the submission needs from it is missing and its own rule holds (exactly one lead partner; every
 * secured match line has its evidence letter; a P-TOTAL target; at least one gap claimed); else incomplete.
 */
function sectionStatus(key: SectionKey, fields: BidFields, attachments: Pick<AttachmentRow, 'purpose'>[]): TaskStatus {
  if (key === 'documents') return attachments.some((a) => a.purpose === 'supporting') ? 'completed' : 'optional';
  const section = sectionFor(key);
  if (!hasAny(fields, section.owns)) return 'not-started';
  const missing = missingForSubmission(fields).some((m) =>
    section.owns.includes(m.path.split('/')[1] as keyof BidFields),
  );
  if (missing) return 'incomplete';
  const rule: Partial<Record<SectionKey, () => boolean>> = {
    partners: () => (fields.partners ?? []).filter((p) => p.role === 'lead').length === 1,
    'match-funding': () =>
      (fields.matchFunding ?? []).every((line) => line.status !== 'secured' || !!line.evidenceAttachmentId),
    targets: () => (fields.outputTargets ?? []).some((t) => t.indicator === 'P-TOTAL'),
    'gap-claims': () => (fields.gapClaims ?? []).length > 0,
  };
  return (rule[key]?.() ?? true) ? 'completed' : 'incomplete';
}

const STATUS_VIEW: Record<TaskStatus, { text: string; tagClass?: string }> = {
  completed: { text: 'Completed' },
  incomplete: { text: 'Incomplete', tagClass: 'govuk-tag--blue' },
  'not-started': { text: 'Not yet started', tagClass: 'govuk-tag--grey' },
  optional: { text: 'Optional' },
};

const HINTS: Partial<Record<SectionKey, string>> = {
  'match-funding': 'Every pound that is not ESF, with a letter of commitment for each secured line',
  targets: 'Participants and results, including the total number of participants',
  documents: 'Supporting documents, such as a partnership agreement',
};

/**
 * What every bid page of the applicant's and its partners' starts from, for a bid as the service read it: its call
 * as of `now`, whether the bid can change, the fields shown (shownFields) and the heading (bidHeading).
 */
export function bidPageOf(view: BidView, now: Date) {
  const call = toCall(view.call, now);
  const changeable = isEditable(call, view.bid);
  const fields = shownFields(changeable, view.bid.draft, view.version);
  return { call, changeable, fields, heading: bidHeading(view, call, fields, changeable) };
}

/**
 * The heading every bid page shows: reference, title, status, call, and a notice saying why the bid cannot be
 * changed here: the call closed, the decision made, or (to a partner's member) that only the lead changes it.
 */
export function bidHeading(
  view: {
    bid: Pick<BidRow, 'id' | 'reference' | 'status'>;
    version?: Pick<BidVersionRow, 'version' | 'submittedAt'>;
    viewer: string;
  },
  call: Pick<Call, 'id' | 'title' | 'closesAt' | 'status'>,
  fields: BidFields,
  changeable: boolean,
) {
  const closes = formatLondonDateTime(call.closesAt);
  let notice: string | undefined;
  if (!takesChanges(call.status)) {
    notice = view.version
      ? `The call closed on ${closes} (UK time). The bid can no longer be changed: the panel appraises version ` +
        `${view.version.version}, submitted on ${formatLondonDateTime(view.version.submittedAt)}.`
      : `The call closed on ${closes} (UK time). The bid was never submitted and can no longer be changed.`;
  } else if (!changeable) {
    notice = 'The bid has had its decision and can no longer be changed.';
  }
  return {
    id: view.bid.id,
    notice,
    // A partner's member reads the rest of the bid: the lead changes it, they change their own part.
    partnerNotice:
      view.viewer === 'partner' && changeable
        ? 'Your organisation is a delivery partner in this bid: you change your own part, and the lead the rest.'
        : undefined,
    reference: view.bid.reference,
    title: fields.title || 'Untitled bid',
    status: view.bid.status,
    callTitle: call.title,
    callId: call.id,
    closes,
  };
}

/** The GOV.UK task list of a bid's sections. */
export function taskList(bidId: string, fields: BidFields, attachments: Pick<AttachmentRow, 'purpose'>[]) {
  return SECTIONS.map((section, i) => ({
    index: i + 1,
    title: section.title,
    href: `/bids/${bidId}/${section.key}`,
    hint: HINTS[section.key],
    status: STATUS_VIEW[sectionStatus(section.key, fields, attachments)],
  }));
}

/** How many sections are complete, for "You have completed 5 of 8 sections". */
export function completedCount(
  fields: BidFields,
  attachments: Pick<AttachmentRow, 'purpose'>[],
): { done: number; of: number } {
  const statuses = SECTIONS.map((s) => sectionStatus(s.key, fields, attachments)).filter((s) => s !== 'optional');
  return { done: statuses.filter((s) => s === 'completed').length, of: statuses.length };
}

const label = (choices: { value: string; text: string }[], value: string) =>
  choices.find((c) => c.value === value)?.text ?? value;
const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/);

interface AnswerRow {
  key: string;
  lines: string[];
  href?: string;
  link?: { href: string; text: string };
}

/** "Check your answers": one summary card per section, each row with its change link while the bid can change. */
export function answerCards(
  bidId: string,
  fields: BidFields,
  call: Call,
  catalogue: Indicator[],
  attachments: Pick<AttachmentRow, 'id' | 'filename' | 'purpose' | 'sizeBytes'>[],
  editable: boolean,
) {
  const indicatorTitle = new Map(catalogue.map((i) => [i.code, i.title]));
  const fileName = new Map(attachments.map((a) => [a.id, a.filename]));
  const change = (section: SectionKey, pointer: string) =>
    editable ? `/bids/${bidId}/${section}#${fieldId(pointer)}` : undefined;
  const none = (section: SectionKey, pointer: string, text: string): AnswerRow[] => [
    { key: text, lines: ['None given'], href: change(section, pointer) },
  ];

  const cards: Record<SectionKey, AnswerRow[]> = {
    details: [
      { key: 'Title', lines: [fields.title ?? 'Not given'], href: change('details', '/title') },
      {
        key: 'Summary',
        lines: fields.summary ? lines(fields.summary) : ['Not given'],
        href: change('details', '/summary'),
      },
      {
        key: 'Start date',
        lines: [fields.startDate ? formatLondonDate(fields.startDate) : 'Not given'],
        href: change('details', '/startDate'),
      },
      {
        key: 'End date',
        lines: [fields.endDate ? formatLondonDate(fields.endDate) : 'Not given'],
        href: change('details', '/endDate'),
      },
      {
        key: 'Areas covered',
        lines: fields.geography?.length ? [fields.geography.join(', ')] : ['None chosen'],
        href: change('details', '/geography'),
      },
    ],
    partners: fields.partners?.length
      ? fields.partners.map((p, i) => ({
          key: p.name,
          lines: [
            `${label(ROLES, p.role)} · ${label(ORGANISATION_TYPES, p.type)}`,
            ...(p.charityNumber ? [`Charity number ${p.charityNumber}`] : []),
            ...(p.companyNumber ? [`Company number ${p.companyNumber}`] : []),
            `ESF ${formatPounds(p.esfPence)} · match ${formatPounds(p.matchPence)}`,
          ],
          href: change('partners', `/partners/${i}/name`),
        }))
      : none('partners', '/partners/0/name', 'Partners'),
    budget: [
      ...(fields.priorities ?? []).map((p) => ({
        key: `Priority ${p.code} ${call.priorities.find((cp) => cp.code === p.code)?.title ?? ''}`.trim(),
        lines: [`${formatPounds(p.esfPence)} ESF`],
        href: change(
          'budget',
          `/priorities/${Math.max(
            0,
            call.priorities.findIndex((cp) => cp.code === p.code),
          )}/esfPence`,
        ),
      })),
      { key: 'ESF requested', lines: [formatPounds(bidEsfPence(fields))] },
      {
        key: 'Total eligible cost',
        lines: [
          fields.totalEligibleCostPence === undefined ? 'Not given' : formatPounds(fields.totalEligibleCostPence),
        ],
        href: change('budget', '/totalEligibleCostPence'),
      },
    ],
    'match-funding': [
      ...(fields.matchFunding ?? []).map((m, i) => ({
        key: m.funder,
        lines: [
          `${formatPounds(m.amountPence)} · ${label(SECTORS, m.sector)} · ${label(KINDS, m.kind)} · ` +
            `${label(MATCH_STATUSES, m.status)}`,
          m.evidenceAttachmentId
            ? `Evidence: ${fileName.get(m.evidenceAttachmentId) ?? 'a letter no longer on the bid'}`
            : 'No evidence letter',
        ],
        href: change('match-funding', `/matchFunding/${i}/funder`),
      })),
      {
        key: 'Match funding declared',
        lines: [formatPounds(declaredMatchPence(fields))],
        href: change('match-funding', '/matchFunding/0/funder'),
      },
    ],
    targets: [
      ...[
        ...(fields.outputTargets ?? []).map((t, i) => ({ t, pointer: `/outputTargets/${i}/target` })),
        ...(fields.resultTargets ?? []).map((t, i) => ({ t, pointer: `/resultTargets/${i}/target` })),
      ].map(({ t, pointer }) => ({
        key: indicatorTitle.get(t.indicator) ?? t.indicator,
        lines: [t.target.toLocaleString('en-GB')],
        href: change('targets', pointer),
      })),
    ],
    'gap-claims': (fields.gapClaims ?? []).map((claim) => ({
      key: call.gapCriteria.find((g) => g.code === claim.gapCode)?.title ?? claim.gapCode,
      lines: lines(claim.narrative),
      href: change(
        'gap-claims',
        `/gapClaims/${Math.max(
          0,
          call.gapCriteria.findIndex((g) => g.code === claim.gapCode),
        )}/narrative`,
      ),
    })),
    narratives: NARRATIVES.map((n) => ({
      key: n.title,
      lines: fields.narrative?.[n.key] ? lines(fields.narrative[n.key]) : ['Not written'],
      href: change('narratives', `/narrative/${n.key}`),
    })),
    documents: attachments.map((a) => ({
      key: a.purpose === 'match-evidence' ? 'Match-funding evidence' : 'Supporting document',
      lines: [`${(a.sizeBytes / 1024).toFixed(0)} KB`],
      link: { href: `/bids/${bidId}/files/${a.id}`, text: a.filename },
    })),
  };
  if (cards.targets.length === 0) cards.targets = none('targets', '/outputTargets/0/indicator', 'Targets');
  if (cards['gap-claims'].length === 0)
    cards['gap-claims'] = none('gap-claims', '/gapClaims/0/narrative', 'Gaps claimed');
  if (cards.documents.length === 0) cards.documents = [{ key: 'Files', lines: ['None uploaded'] }];
  return SECTIONS.map((section) => ({
    key: section.key,
    title: section.title,
    href: editable ? `/bids/${bidId}/${section.key}` : undefined,
    rows: cards[section.key],
  }));
}

/** Error summary items for what a submission lacks, each linking to its input on its section's page. */
export function missingItems(
  bidId: string,
  missing: { path: string; message: string }[],
  sectionOf: (pointer: string) => SectionKey,
) {
  const inputFor = (pointer: string) =>
    ({ '/partners': 'partners', '/priorities': 'priorities', '/geography': 'geography' })[pointer] ?? fieldId(pointer);
  return missing.map(({ path, message }) => {
    const field = inputFor(path);
    return { field, message, href: `/bids/${bidId}/${sectionOf(path)}#${field}` };
  });
}

const CHECK_TITLES: Record<string, string> = {
  'GW-DEADLINE': 'Submitted by the deadline',
  'GW-FLOOR': 'Large enough: the smallest project the call funds',
  'GW-ALLOCATION': 'Within each priority’s allocation',
  'GW-INTERVENTION': 'ESF within the intervention rate',
  'GW-MATCH': 'Every pound that is not ESF is declared as match funding',
  'GW-PARTNERSHIP': 'One lead partner, and partners’ shares add up',
  'GW-INDICATORS': 'Targets fit the priorities and their cohorts',
  'GW-GAP': 'Claims at least one gap in provision',
};

/** The gateway result in words: each check with its plain title, passed or failed, and what was found. */
export function gatewayView(version: Pick<BidVersionRow, 'gatewayPassed' | 'gateway' | 'flags'>) {
  return {
    passed: version.gatewayPassed,
    checks: version.gateway.map((check: GatewayCheck) => ({ ...check, title: CHECK_TITLES[check.code] ?? check.code })),
    flags: version.flags as Finding[],
  };
}

/** The receipt an applicant keeps: reference, version, submitted at (UK time) and the SHA-256. */
export function receiptView(
  bid: Pick<BidRow, 'reference'>,
  version: Pick<BidVersionRow, 'version' | 'submittedAt' | 'sha256'>,
) {
  return {
    reference: bid.reference,
    version: version.version,
    submittedAt: formatLondonDateTime(version.submittedAt),
    submittedAtIso: version.submittedAt.toISOString(),
    sha256: version.sha256,
  };
}

/** A line of the applicant's dashboard. */
export function dashboardRow(
  bid: Pick<BidRow, 'id' | 'reference' | 'status' | 'draft'>,
  version: Pick<BidVersionRow, 'submittedAt' | 'gatewayPassed'> | undefined,
  call: Pick<Call, 'title' | 'closesAt' | 'status'> | undefined,
) {
  return {
    id: bid.id,
    reference: bid.reference,
    title: bid.draft.title || 'Untitled bid',
    status: bid.status,
    callTitle: call?.title ?? '',
    closes: call ? formatLondonDateTime(call.closesAt) : '',
    callOpen: call ? takesChanges(call.status) : false,
    submittedAt: version ? formatLondonDateTime(version.submittedAt) : undefined,
    gateway: version ? (version.gatewayPassed ? 'Passed' : 'Did not pass') : undefined,
  };
}

/**
 * The bid's sections as HTML forms: for each, how a post is read into that part of the bid (the body
 * bid.update.schema.json validates), how the saved draft fills the form, and what the template draws.
 * Inputs are named by their JSON pointer (server/web/forms.ts), so the API's error details land on them. Pure.
 */
import type { Call, Indicator } from '../../calls/types.ts';
import type { AttachmentRow } from '../../models/bids.ts';
import { formatPounds } from '../../shared/money.ts';
import {
  fieldView,
  optionsFor,
  ORGANISATION_TYPES,
  poundsInputValue,
  rawValue,
  rawValues,
  rowCount,
  withoutUndefined,
  type FieldView,
  type FormReader,
  type FormValues,
} from '../../web/forms.ts';
import type { BidFields, Narrative } from '../types.ts';

export type SectionKey =
  | 'details'
  | 'partners'
  | 'budget'
  | 'match-funding'
  | 'targets'
  | 'gap-claims'
  | 'narratives'
  | 'documents';

/** The sections in the order of the task list, with the top-level bid fields each one owns. */
export const SECTIONS: { key: SectionKey; title: string; owns: (keyof BidFields)[] }[] = [
  { key: 'details', title: 'Bid details', owns: ['title', 'summary', 'startDate', 'endDate', 'geography'] },
  { key: 'partners', title: 'Partners', owns: ['partners'] },
  { key: 'budget', title: 'Priorities and budget', owns: ['priorities', 'totalEligibleCostPence'] },
  { key: 'match-funding', title: 'Match funding', owns: ['matchFunding'] },
  { key: 'targets', title: 'Targets', owns: ['outputTargets', 'resultTargets'] },
  { key: 'gap-claims', title: 'Gap claims', owns: ['gapClaims'] },
  { key: 'narratives', title: 'Narratives', owns: ['narrative'] },
  { key: 'documents', title: 'Documents', owns: [] },
];

/** The section a top-level bid field belongs to (`/narrative/need` → narratives). */
export function sectionOfPointer(pointer: string): SectionKey {
  const field = pointer.split('/')[1] as keyof BidFields;
  return SECTIONS.find((section) => section.owns.includes(field))?.key ?? 'details';
}

export const ROLES = [
  { value: 'lead', text: 'Lead' },
  { value: 'delivery', text: 'Delivery partner' },
];
export const SECTORS = [
  { value: 'public', text: 'Public' },
  { value: 'private', text: 'Private' },
];
export const KINDS = [
  { value: 'cash', text: 'Cash' },
  { value: 'in_kind', text: 'In kind' },
];
export const MATCH_STATUSES = [
  { value: 'secured', text: 'Secured' },
  { value: 'pending', text: 'Pending' },
];
export const NARRATIVES: { key: keyof Narrative; title: string; hint: string }[] = [
  { key: 'need', title: 'Need and gap', hint: 'The need the bid meets and the gap in provision it fills, with evidence.' },
  { key: 'activities', title: 'Activities', hint: 'What participants will receive, and how it fits the call’s eligible activities.' },
  { key: 'delivery', title: 'Delivery', hint: 'Who delivers what, where and when, and how participants are referred.' },
  { key: 'management', title: 'Management and control', hint: 'Governance of the partnership, financial controls, eligibility evidence and audit trail.' },
  { key: 'crossCuttingThemes', title: 'Cross-cutting themes', hint: 'Equal opportunities and gender equality; sustainable development.' },
];

// Reading a post into the bid's fields. Each returns every field its section owns; undefined clears one.

const PARTNER_FIELDS = ['name', 'type', 'role', 'charityNumber', 'companyNumber', 'esfPence', 'matchPence'];
const MATCH_FIELDS = ['funder', 'sector', 'kind', 'amountPence', 'status', 'evidenceAttachmentId'];

const listOrNothing = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

/** Reads the posted form of one section into the bid fields that section owns. */
export function readSection(key: SectionKey, form: FormReader, call: Call): Record<string, unknown> {
  switch (key) {
    case 'details': {
      const geography = form.list('/geography');
      return {
        title: form.text('/title'),
        summary: form.text('/summary'),
        startDate: form.date('/startDate', 'start date'),
        endDate: form.date('/endDate', 'end date'),
        geography: listOrNothing(geography),
      };
    }
    case 'partners':
      return {
        partners: listOrNothing(
          form.rows('/partners', PARTNER_FIELDS, (row) =>
            withoutUndefined({
              name: form.text(`${row}/name`),
              type: form.text(`${row}/type`),
              role: form.text(`${row}/role`),
              charityNumber: form.text(`${row}/charityNumber`),
              companyNumber: form.text(`${row}/companyNumber`)?.toUpperCase(),
              esfPence: form.pounds(`${row}/esfPence`),
              matchPence: form.pounds(`${row}/matchPence`),
            }),
          ),
        ),
      };
    case 'budget': {
      const priorities = form
        .rows('/priorities', ['esfPence'], (row, index) => ({ code: call.priorities[index]?.code, esfPence: form.pounds(`${row}/esfPence`) }))
        .filter((priority) => priority.code !== undefined)
        .map((priority) => withoutUndefined(priority));
      return { priorities: listOrNothing(priorities), totalEligibleCostPence: form.pounds('/totalEligibleCostPence') };
    }
    case 'match-funding':
      return {
        matchFunding: listOrNothing(
          form.rows('/matchFunding', MATCH_FIELDS, (row) =>
            withoutUndefined({
              funder: form.text(`${row}/funder`),
              sector: form.text(`${row}/sector`),
              kind: form.text(`${row}/kind`),
              amountPence: form.pounds(`${row}/amountPence`),
              status: form.text(`${row}/status`),
              evidenceAttachmentId: form.text(`${row}/evidenceAttachmentId`),
            }),
          ),
        ),
      };
    case 'targets': {
      const targets = (list: string) =>
        form.rows(list, ['indicator', 'target'], (row) =>
          withoutUndefined({ indicator: form.text(`${row}/indicator`), target: form.wholeNumber(`${row}/target`) }),
        );
      return { outputTargets: listOrNothing(targets('/outputTargets')), resultTargets: listOrNothing(targets('/resultTargets')) };
    }
    case 'gap-claims': {
      const claims = form
        .rows('/gapClaims', ['narrative'], (row, index) => ({ gapCode: call.gapCriteria[index]?.code, narrative: form.text(`${row}/narrative`) }))
        .filter((claim) => claim.gapCode !== undefined);
      return { gapClaims: listOrNothing(claims) };
    }
    case 'narratives': {
      const narrative = withoutUndefined(Object.fromEntries(NARRATIVES.map(({ key: k }) => [k, form.text(`/narrative/${k}`)])));
      return { narrative: Object.keys(narrative).length > 0 ? narrative : undefined };
    }
    case 'documents':
      return {};
  }
}

/** The whole draft with one section's fields replaced; cleared fields are left out. */
export function withSection(draft: BidFields, part: Record<string, unknown>): Record<string, unknown> {
  return withoutUndefined({ ...draft, ...part });
}

// The saved draft as form values, by input id.

function dateParts(id: string, date: string | undefined): FormValues {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!match) return {};
  return { [`${id}-day`]: String(Number(match[3])), [`${id}-month`]: String(Number(match[2])), [`${id}-year`]: match[1] };
}

/** The values a section's form starts from: what the draft holds, money in pounds. */
export function sectionValues(key: SectionKey, draft: BidFields, call: Call): FormValues {
  const values: FormValues = {};
  const put = (id: string, value: string | number | undefined) => {
    if (value !== undefined) values[id] = String(value);
  };
  switch (key) {
    case 'details':
      put('title', draft.title);
      put('summary', draft.summary);
      Object.assign(values, dateParts('startDate', draft.startDate), dateParts('endDate', draft.endDate));
      values.geography = draft.geography ?? [];
      break;
    case 'partners':
      (draft.partners ?? []).forEach((partner, i) => {
        for (const field of ['name', 'type', 'role', 'charityNumber', 'companyNumber'] as const) put(`partners-${i}-${field}`, partner[field]);
        put(`partners-${i}-esfPence`, poundsInputValue(partner.esfPence));
        put(`partners-${i}-matchPence`, poundsInputValue(partner.matchPence));
      });
      break;
    case 'budget':
      for (const priority of draft.priorities ?? []) {
        const index = call.priorities.findIndex((p) => p.code === priority.code);
        if (index >= 0) put(`priorities-${index}-esfPence`, poundsInputValue(priority.esfPence));
      }
      put('totalEligibleCostPence', poundsInputValue(draft.totalEligibleCostPence) || undefined);
      break;
    case 'match-funding':
      (draft.matchFunding ?? []).forEach((line, i) => {
        for (const field of ['funder', 'sector', 'kind', 'status', 'evidenceAttachmentId'] as const) put(`matchFunding-${i}-${field}`, line[field]);
        put(`matchFunding-${i}-amountPence`, poundsInputValue(line.amountPence));
      });
      break;
    case 'targets':
      for (const list of ['outputTargets', 'resultTargets'] as const) {
        (draft[list] ?? []).forEach((target, i) => {
          put(`${list}-${i}-indicator`, target.indicator);
          put(`${list}-${i}-target`, target.target);
        });
      }
      break;
    case 'gap-claims':
      for (const claim of draft.gapClaims ?? []) {
        const index = call.gapCriteria.findIndex((g) => g.code === claim.gapCode);
        if (index >= 0) put(`gapClaims-${index}-narrative`, claim.narrative);
      }
      break;
    case 'narratives':
      for (const { key: k } of NARRATIVES) put(`narrative-${k}`, draft.narrative?.[k]);
      break;
    case 'documents':
      break;
  }
  return values;
}

// What the templates draw.

function select(values: FormValues, errors: Record<string, string>, id: string, choices: { value: string; text: string }[]) {
  const field = fieldView(values, errors, id);
  return { ...field, options: optionsFor(choices, field.value) };
}

function dateView(values: FormValues, errors: Record<string, string>, id: string) {
  return {
    id,
    day: rawValue(values, `${id}-day`),
    month: rawValue(values, `${id}-month`),
    year: rawValue(values, `${id}-year`),
    ...(errors[id] ? { error: errors[id] } : {}),
  };
}

/** Indicator choices for a kind, from the call's priorities, titled from the catalogue. */
function indicatorChoices(call: Call, catalogue: Indicator[], kind: 'participant' | 'result') {
  const codes = new Set(
    call.priorities.flatMap((p) => (kind === 'participant' ? p.participantIndicators : p.resultIndicators)),
  );
  return catalogue
    .filter((indicator) => indicator.kind === kind && codes.has(indicator.code))
    .map((indicator) => ({ value: indicator.code, text: `${indicator.title} (${indicator.code})` }));
}

/** Everything a section's template needs beyond the bid: its inputs with values and errors. */
export function sectionView(
  key: SectionKey,
  call: Call,
  values: FormValues,
  errors: Record<string, string>,
  extraRows: number,
  context: { catalogue: Indicator[]; attachments: AttachmentRow[]; draft: BidFields },
): Record<string, unknown> {
  const field = (id: string): FieldView => fieldView(values, errors, id);
  const rows = (list: string) => Array.from({ length: Math.max(1, rowCount(values, list, extraRows)) }, (_, i) => i);
  switch (key) {
    case 'details': {
      const chosen = rawValues(values, 'geography');
      const areas = [...call.geography, ...chosen.filter((area) => !call.geography.includes(area))];
      return {
        title: field('title'),
        summary: field('summary'),
        startDate: dateView(values, errors, 'startDate'),
        endDate: dateView(values, errors, 'endDate'),
        geography: {
          id: 'geography',
          error: errors.geography,
          items: areas.map((area, i) => ({ id: i === 0 ? 'geography' : `geography-${i + 1}`, value: area, checked: chosen.includes(area) })),
        },
      };
    }
    case 'partners':
      return {
        partners: rows('partners').map((i) => ({
          number: i + 1,
          name: field(`partners-${i}-name`),
          type: select(values, errors, `partners-${i}-type`, ORGANISATION_TYPES),
          role: select(values, errors, `partners-${i}-role`, ROLES),
          charityNumber: field(`partners-${i}-charityNumber`),
          companyNumber: field(`partners-${i}-companyNumber`),
          esfPence: field(`partners-${i}-esfPence`),
          matchPence: field(`partners-${i}-matchPence`),
        })),
      };
    case 'budget':
      return {
        priorities: call.priorities.map((priority, i) => ({
          label: `Priority ${priority.code}: ${priority.title}`,
          hint: `ESF under this priority, in pounds. Its allocation is ${formatPounds(priority.allocationPence)}.`,
          esfPence: field(`priorities-${i}-esfPence`),
        })),
        totalEligibleCostPence: field('totalEligibleCostPence'),
        totalHint: `ESF plus all match funding, in pounds. ESF may be at most ${call.interventionRatePercent}% of it.`,
      };
    case 'match-funding': {
      const evidence = context.attachments.map((a) => ({ value: a.id, text: a.filename }));
      const lines = rows('matchFunding').map((i) => ({
        number: i + 1,
        funder: field(`matchFunding-${i}-funder`),
        sector: select(values, errors, `matchFunding-${i}-sector`, SECTORS),
        kind: select(values, errors, `matchFunding-${i}-kind`, KINDS),
        amountPence: field(`matchFunding-${i}-amountPence`),
        status: select(values, errors, `matchFunding-${i}-status`, MATCH_STATUSES),
        evidenceAttachmentId: {
          ...field(`matchFunding-${i}-evidenceAttachmentId`),
          options: optionsFor(evidence, rawValue(values, `matchFunding-${i}-evidenceAttachmentId`), 'No letter yet'),
        },
      }));
      // The upload form links a letter to a line of the saved draft, whatever the form above holds.
      const saved = (context.draft.matchFunding ?? []).map((line, i) => ({ value: String(i), text: `Line ${i + 1}: ${line.funder}` }));
      return { matchFunding: lines, evidenceLines: optionsFor(saved, '', 'Do not link it to a line yet') };
    }
    case 'targets': {
      const targetRows = (list: string, choices: { value: string; text: string }[]) =>
        rows(list).map((i) => ({
          number: i + 1,
          indicator: select(values, errors, `${list}-${i}-indicator`, choices),
          target: field(`${list}-${i}-target`),
        }));
      return {
        outputTargets: targetRows('outputTargets', indicatorChoices(call, context.catalogue, 'participant')),
        resultTargets: targetRows('resultTargets', indicatorChoices(call, context.catalogue, 'result')),
      };
    }
    case 'gap-claims':
      return { gapClaims: call.gapCriteria.map((gap, i) => ({ ...gap, narrative: field(`gapClaims-${i}-narrative`) })) };
    case 'narratives':
      return { narratives: NARRATIVES.map((n) => ({ ...n, field: field(`narrative-${n.key}`) })) };
    case 'documents':
      return {};
  }
}

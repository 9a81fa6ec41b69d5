/**
 * The officer's call editor as an HTML form (the call dashboard's figures are appraisal/callDashboardModels.ts). The
 * editor's inputs are named by the JSON pointer of the field they fill (server/web/forms.ts), so the schema's and the
 * publish rules' details land on them. Times are typed as London wall-clock time and sent as UTC instants. Pure.
 */
import type { ErrorDetail } from '../errors.ts';
import {
  errorsByField,
  FormReader,
  poundsInputValue,
  readLondonInstant,
  rawValue,
  rawValues,
  rowCount,
  withoutUndefined,
  type ErrorItem,
  type FieldView,
  type FormValues,
} from '../web/forms.ts';
import { londonFormFields } from '../shared/londonTime.ts';
import { CORE_CRITERIA } from './coreCriteria.ts';
import type { AppraisalCriterion, CallFields, GapCriterion, Indicator, Priority } from './types.ts';

/** How many rows of each list a new call's form shows; an existing call's shows its rows and one more. */
const EDITOR_ROWS = { priorities: 3, gapCriteria: 4, appraisalCriteria: 5 } as const;

function instantValues(values: FormValues, id: string, iso: string): void {
  const fields = londonFormFields(new Date(iso));
  values[`${id}-day`] = fields.day;
  values[`${id}-month`] = fields.month;
  values[`${id}-year`] = fields.year;
  values[`${id}-time`] = fields.time;
}

/** A call's fields as the editor's form values. */
export function callFormValues(fields: Partial<CallFields>): FormValues {
  const values: FormValues = {
    reference: fields.reference ?? '',
    title: fields.title ?? '',
    lepArea: fields.lepArea ?? '',
    description: fields.description ?? '',
    interventionRatePercent: fields.interventionRatePercent === undefined ? '' : String(fields.interventionRatePercent),
    minProjectEsfPence: poundsInputValue(fields.minProjectEsfPence),
    geography: (fields.geography ?? []).join('\n'),
    eligibleActivities: (fields.eligibleActivities ?? []).join('\n'),
  };
  if (fields.opensAt) instantValues(values, 'opensAt', fields.opensAt);
  if (fields.closesAt) instantValues(values, 'closesAt', fields.closesAt);
  (fields.priorities ?? []).forEach((p, i) => {
    values[`priorities-${i}-code`] = p.code;
    values[`priorities-${i}-title`] = p.title;
    values[`priorities-${i}-allocationPence`] = poundsInputValue(p.allocationPence);
    values[`priorities-${i}-participantIndicators`] = p.participantIndicators;
    values[`priorities-${i}-resultIndicators`] = p.resultIndicators;
  });
  (fields.gapCriteria ?? []).forEach((g, i) => {
    for (const key of ['code', 'title', 'guidance'] as const) values[`gapCriteria-${i}-${key}`] = g[key];
    values[`gapCriteria-${i}-weight`] = String(g.weight);
  });
  (fields.appraisalCriteria ?? []).forEach((a, i) => {
    for (const key of ['code', 'title', 'guidance'] as const) values[`appraisalCriteria-${i}-${key}`] = a[key];
    values[`appraisalCriteria-${i}-weight`] = String(a.weight);
    values[`appraisalCriteria-${i}-minimumScore`] = String(a.minimumScore);
  });
  return values;
}

/** What a new call's form starts with: the 50% rate, the £500,000 floor and the core criteria. */
export function newCallValues(): FormValues {
  return callFormValues({
    interventionRatePercent: 50,
    minProjectEsfPence: 50_000_000,
    appraisalCriteria: CORE_CRITERIA,
  });
}

const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** Reads the editor's post into the body of `POST /calls` and `PUT /calls/:id`; blank rows are left out. */
export function readCallForm(values: FormValues): { reader: FormReader; body: Partial<CallFields> } {
  const r = new FormReader(values);
  const body = withoutUndefined({
    reference: r.text('/reference'),
    title: r.text('/title'),
    lepArea: r.text('/lepArea'),
    description: r.text('/description') ?? '',
    opensAt: readLondonInstant(r, values, '/opensAt', 'opening'),
    closesAt: readLondonInstant(r, values, '/closesAt', 'closing'),
    interventionRatePercent: r.wholeNumber('/interventionRatePercent'),
    minProjectEsfPence: r.pounds('/minProjectEsfPence'),
    geography: lines(r.text('/geography')),
    eligibleActivities: lines(r.text('/eligibleActivities')),
    priorities: r.rows(
      '/priorities',
      ['code', 'title', 'allocationPence'],
      (row) =>
        withoutUndefined({
          code: r.text(`${row}/code`),
          title: r.text(`${row}/title`),
          allocationPence: r.pounds(`${row}/allocationPence`),
          participantIndicators: r.list(`${row}/participantIndicators`),
          resultIndicators: r.list(`${row}/resultIndicators`),
        }) as Priority,
    ),
    gapCriteria: r.rows(
      '/gapCriteria',
      ['code', 'title', 'guidance', 'weight'],
      (row) =>
        withoutUndefined({
          code: r.text(`${row}/code`),
          title: r.text(`${row}/title`),
          guidance: r.text(`${row}/guidance`) ?? '',
          weight: r.wholeNumber(`${row}/weight`),
        }) as GapCriterion,
    ),
    appraisalCriteria: r.rows(
      '/appraisalCriteria',
      ['code', 'title', 'guidance', 'weight', 'minimumScore'],
      (row) =>
        withoutUndefined({
          code: r.text(`${row}/code`),
          title: r.text(`${row}/title`),
          guidance: r.text(`${row}/guidance`) ?? '',
          weight: r.wholeNumber(`${row}/weight`),
          minimumScore: r.wholeNumber(`${row}/minimumScore`),
        }) as AppraisalCriterion,
    ),
  });
  return { reader: r, body };
}

/**
 * Details pointed where the form has an input: a whole list at its first row, an item of a list of codes
 * (indicators, areas) at the list's input, and the typed date's day box.
 */
export function onTheEditor(details: ErrorDetail[]): ErrorDetail[] {
  return details.map((detail) => {
    const path = detail.path
      .replace(/^\/(priorities|gapCriteria|appraisalCriteria)$/, '/$1/0/code')
      .replace(/^(\/priorities\/\d+\/(?:participant|result)Indicators)\/\d+$/, '$1')
      .replace(/^\/(geography|eligibleActivities)\/\d+$/, '/$1');
    return { ...detail, path };
  });
}

/**
 * Leaves out schema details the reader already answered for: a typo in a field also makes the schema say it
 * is missing, and a bad time makes its whole instant missing. Call with details already on the form's rows.
 */
export function withoutAnswered(items: ErrorItem[]): ErrorItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.field)) return false;
    seen.add(item.field);
    if (item.field.endsWith('-time')) seen.add(item.field.slice(0, -'-time'.length));
    return true;
  });
}

function field(values: FormValues, errors: Record<string, string>, id: string): FieldView {
  return { id, value: rawValue(values, id), ...(errors[id] ? { error: errors[id] } : {}) };
}

function checkboxes(values: FormValues, errors: Record<string, string>, id: string, indicators: Indicator[]) {
  const chosen = new Set(rawValues(values, id));
  return {
    id,
    error: errors[id],
    options: indicators.map((indicator, i) => ({
      id: i === 0 ? id : `${id}-${i + 1}`,
      value: indicator.code,
      text: indicator.title,
      checked: chosen.has(indicator.code),
    })),
  };
}

/** The editor as the template draws it: every input with its value and error; `extraRows` blank rows more. */
export function callEditorView(values: FormValues, errors: ErrorItem[], catalogue: Indicator[], extraRows = 0) {
  const byField = errorsByField(errors);
  const f = (id: string) => field(values, byField, id);
  const rows = (list: keyof typeof EDITOR_ROWS) =>
    Array.from({ length: Math.max(rowCount(values, list, extraRows), EDITOR_ROWS[list]) }, (_, i) => i);
  const instant = (id: string) => ({
    id,
    error: byField[id],
    day: rawValue(values, `${id}-day`),
    month: rawValue(values, `${id}-month`),
    year: rawValue(values, `${id}-year`),
    time: f(`${id}-time`),
  });
  const participants = catalogue.filter((i) => i.kind === 'participant');
  const results = catalogue.filter((i) => i.kind === 'result');
  return {
    reference: f('reference'),
    title: f('title'),
    lepArea: f('lepArea'),
    description: f('description'),
    opensAt: instant('opensAt'),
    closesAt: instant('closesAt'),
    interventionRatePercent: f('interventionRatePercent'),
    minProjectEsfPence: f('minProjectEsfPence'),
    geography: f('geography'),
    eligibleActivities: f('eligibleActivities'),
    priorities: rows('priorities').map((i) => ({
      number: i + 1,
      code: f(`priorities-${i}-code`),
      title: f(`priorities-${i}-title`),
      allocationPence: f(`priorities-${i}-allocationPence`),
      participantIndicators: checkboxes(values, byField, `priorities-${i}-participantIndicators`, participants),
      resultIndicators: checkboxes(values, byField, `priorities-${i}-resultIndicators`, results),
    })),
    gapCriteria: rows('gapCriteria').map((i) => ({
      number: i + 1,
      code: f(`gapCriteria-${i}-code`),
      title: f(`gapCriteria-${i}-title`),
      guidance: f(`gapCriteria-${i}-guidance`),
      weight: f(`gapCriteria-${i}-weight`),
    })),
    appraisalCriteria: rows('appraisalCriteria').map((i) => ({
      number: i + 1,
      code: f(`appraisalCriteria-${i}-code`),
      title: f(`appraisalCriteria-${i}-title`),
      guidance: f(`appraisalCriteria-${i}-guidance`),
      weight: f(`appraisalCriteria-${i}-weight`),
      minimumScore: f(`appraisalCriteria-${i}-minimumScore`),
    })),
  };
}

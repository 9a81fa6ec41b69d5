/**
 * The officer's clarification pages, pure: the question's form (sections as checkboxes in the bid form's words,
 * the question, the reply-by date and UK time), the form read into the API's body, its check-your-answers rows,
 * and beside the bid which appraiser scored which version.
 */
import { SECTION_CHOICES as SECTIONS, sectionNames, type SectionKey } from '../bids/clarificationPageModels.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { londonFormFields } from '../shared/londonTime.ts';
import {
  errorsByField,
  fieldView,
  FormReader,
  rawValue,
  rawValues,
  readLondonInstant,
  type ErrorItem,
  type FormValues,
} from '../web/forms.ts';

/** The body of `POST /api/v1/bids/:id/clarifications`, as the form gives it. */
export interface RaiseBody {
  question?: string;
  sections: SectionKey[];
  respondBy?: string;
}

/** Reads the officer's question form; a blank question, no section or a half-typed reply-by are the reader's. */
export function readRaiseForm(values: FormValues): { reader: FormReader; body: RaiseBody } {
  const reader = new FormReader(values);
  const keys = new Set<string>(SECTIONS.map((s) => s.key));
  const sections = reader.list('/sections').filter((key): key is SectionKey => keys.has(key));
  const question = reader.text('/question');
  const respondBy = readLondonInstant(reader, values, '/respondBy', 'reply-by');
  if (sections.length === 0) reader.problems.push({ path: '/sections', message: 'Choose at least one section' });
  if (!question) reader.problems.push({ path: '/question', message: 'Enter the question for the lead' });
  const dateBlank = ['day', 'month', 'year'].every((part) => rawValue(values, `respondBy-${part}`).trim() === '');
  if (dateBlank && !rawValue(values, 'respondBy-time').trim())
    reader.problems.push({ path: '/respondBy', message: 'Enter the date and time the answer is due by' });
  return { reader, body: { question, sections, respondBy } };
}

/** The form's values from a body (the check page's Change goes back with them). */
export function raiseValues(body: { question: string; sections: string[]; respondBy: string }): FormValues {
  const at = londonFormFields(new Date(body.respondBy));
  return {
    question: body.question,
    sections: body.sections,
    'respondBy-day': at.day,
    'respondBy-month': at.month,
    'respondBy-year': at.year,
    'respondBy-time': at.time,
  };
}

/** The question form as its template draws it. */
export function raiseForm(values: FormValues, errors: ErrorItem[]) {
  const byField = errorsByField(errors);
  const chosen = rawValues(values, 'sections');
  return {
    sections: {
      id: 'sections',
      error: byField.sections,
      items: SECTIONS.map((s, i) => ({
        id: i === 0 ? 'sections' : `sections-${i + 1}`,
        value: s.key,
        text: s.title,
        checked: chosen.includes(s.key),
      })),
    },
    question: fieldView(values, byField, 'question'),
    respondBy: {
      id: 'respondBy',
      day: rawValue(values, 'respondBy-day'),
      month: rawValue(values, 'respondBy-month'),
      year: rawValue(values, 'respondBy-year'),
      ...(byField.respondBy ? { error: byField.respondBy } : {}),
    },
    respondByTime: fieldView(values, byField, 'respondBy-time'),
  };
}

/** What the check page shows of the question before it is sent, and what it posts on. */
export function raiseCheck(body: { question: string; sections: SectionKey[]; respondBy: string }) {
  return {
    sections: sectionNames(body.sections),
    question: body.question,
    respondBy: formatLondonDateTime(body.respondBy),
    hidden: { question: body.question, sections: body.sections, respondBy: body.respondBy },
  };
}

/** Which appraiser scored which version, for the officer; a sheet on an earlier version is marked so. */
export function scoredVersions(
  appraisers: readonly {
    appraiserId: string | null;
    label: string;
    version: number | null;
    onEarlierVersion: boolean;
  }[],
  names: ReadonlyMap<string, string>,
  appraised: number | null,
) {
  return appraisers.map((a) => ({
    name: (a.appraiserId && names.get(a.appraiserId)) || a.label,
    version: a.version,
    onEarlierVersion: a.onEarlierVersion,
    note:
      a.version === null
        ? 'Version not recorded'
        : a.onEarlierVersion
          ? `Scored version ${a.version}; the appraised version is ${appraised}`
          : `Scored version ${a.version}, the appraised version`,
  }));
}

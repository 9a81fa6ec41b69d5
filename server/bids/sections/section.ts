/**
 * What every section of a bid's form is: the top-level bid fields it owns, how a post is read into them (the
 * body bid.update.schema.json validates), how the saved draft fills its form, and what its template draws.
 * Inputs are named by their JSON pointer (server/web/forms.ts), so the API's error details land on them. Pure.
 */
import type { Call, Indicator } from '../../calls/types.ts';
import type { AttachmentRow } from '../../models/bids.ts';
import {
  fieldView,
  optionsFor,
  rawValue,
  rowCount,
  type FieldView,
  type FormReader,
  type FormValues,
} from '../../web/forms.ts';
import type { BidFields } from '../types.ts';

export type SectionKey =
  'details' | 'partners' | 'budget' | 'match-funding' | 'targets' | 'gap-claims' | 'narratives' | 'documents';

/** What a section's view may draw beyond the call and the form: the indicator catalogue, files, saved draft. */
export interface SectionContext {
  catalogue: Indicator[];
  attachments: Pick<AttachmentRow, 'id' | 'filename'>[];
  draft: BidFields;
}

/** The form's values and errors, with the blank rows a list draws beyond those it has. */
export interface SectionForm {
  values: FormValues;
  errors: Record<string, string>;
  extraRows: number;
}

/** One section of the bid's form. */
export interface BidSection {
  key: SectionKey;
  title: string;
  /** The top-level bid fields the section owns. */
  owns: (keyof BidFields)[];
  /** The posted form read into every field the section owns; undefined clears one. */
  read(form: FormReader, call: Call): Record<string, unknown>;
  /** The values the section's form starts from: what the draft holds, money in pounds. */
  values(draft: BidFields, call: Call): FormValues;
  /** Everything the section's template needs beyond the bid: its inputs with values and errors. */
  view(call: Call, form: SectionForm, context: SectionContext): Record<string, unknown>;
}

/** A list, or undefined when it is empty, so that an emptied list clears the field. */
export const listOrNothing = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

/** Form values built up by input id, leaving out what the draft does not hold. */
export function valuesBuilder(): { values: FormValues; put(id: string, value: string | number | undefined): void } {
  const values: FormValues = {};
  return {
    values,
    put: (id, value) => {
      if (value !== undefined) values[id] = String(value);
    },
  };
}

/** A YYYY-MM-DD date as the day, month and year inputs of a date field. */
export function dateParts(id: string, date: string | undefined): FormValues {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (!match) return {};
  return {
    [`${id}-day`]: String(Number(match[3])),
    [`${id}-month`]: String(Number(match[2])),
    [`${id}-year`]: match[1],
  };
}

/** The inputs a section's view draws from its form: fields, selects, dates and the rows of a list. */
export function formParts({ values, errors, extraRows }: SectionForm) {
  const field = (id: string): FieldView => fieldView(values, errors, id);
  return {
    field,
    select: (id: string, choices: { value: string; text: string }[]) => {
      const view = field(id);
      return { ...view, options: optionsFor(choices, view.value) };
    },
    date: (id: string) => ({
      id,
      day: rawValue(values, `${id}-day`),
      month: rawValue(values, `${id}-month`),
      year: rawValue(values, `${id}-year`),
      ...(errors[id] ? { error: errors[id] } : {}),
    }),
    rows: (list: string) => Array.from({ length: Math.max(1, rowCount(values, list, extraRows)) }, (_, i) => i),
  };
}

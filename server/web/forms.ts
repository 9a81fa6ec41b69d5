/**
 * HTML forms on the API's terms. Every input is named and identified by the JSON pointer of the field it fills
 * (`/partners/0/esfPence` → `partners-0-esfPence`), so one function links an API error detail to its input.
 * Form fields are read into the body the JSON Schema validates: blank means "left out", money is read exactly
 * into pence, and a typo is answered as a field error, never guessed.
 */
import { Validation, type ErrorDetail } from '../errors.ts';
import { formatPounds, parsePounds } from '../shared/money.ts';
import { londonToInstant, parseClockTime } from '../shared/londonTime.ts';
import { validate } from '../validation.ts';

/** An item of the GOV.UK error summary: the input it links to and what is wrong; `href` when on another page. */
export interface ErrorItem {
  field: string;
  message: string;
  href?: string;
}

/** A form's fields as posted or as shown: by input id. */
export type FormValues = Record<string, unknown>;

/** The kinds of organisation (DESIGN.md), as people read them. */
export const ORGANISATION_TYPES = [
  { value: 'vcs', text: 'Voluntary or community sector (VCS)' },
  { value: 'public', text: 'Public sector' },
  { value: 'private', text: 'Private sector' },
  { value: 'education', text: 'Education' },
  { value: 'health', text: 'Health' },
];

/** One input as a template draws it. */
export interface FieldView {
  id: string;
  value: string;
  error?: string;
}

export const MONEY_MESSAGE = 'Enter an amount in pounds, like £500,000.00';
export const WHOLE_NUMBER_MESSAGE = 'Enter a whole number, like 250';

/** The input id (and name) for a JSON pointer: `/partners/0/esfPence` → `partners-0-esfPence`; `''` → `''`. */
export function fieldId(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('-');
}

/** Error details as GOV.UK error summary items; a detail with no path links to `fallback`. */
export function toErrorItems(details: ErrorDetail[], fallback = 'main-content'): ErrorItem[] {
  return details.map(({ path, message }) => ({ field: fieldId(path) || fallback, message }));
}

/** The first message for each input, for the error message beside it. */
export function errorsByField(items: ErrorItem[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const item of items) byField[item.field] ??= item.message;
  return byField;
}

/** Pence as the text of a money input that has a £ prefix: 45000000 → "450,000.00". */
export function poundsInputValue(pence: number | undefined): string {
  return typeof pence === 'number' ? formatPounds(pence).replace('£', '') : '';
}

/** A posted value as one string ('' when absent); of repeated fields, the first. */
export function rawValue(values: FormValues, id: string): string {
  const value = values[id];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

/** Every posted value of a repeated field (checkboxes). */
export function rawValues(values: FormValues, id: string): string[] {
  const value = values[id];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The view of one input: its id, the value to show and its error. */
export function fieldView(values: FormValues, errors: Record<string, string>, id: string): FieldView {
  return { id, value: rawValue(values, id), ...(errors[id] ? { error: errors[id] } : {}) };
}

export interface Option {
  value: string;
  text: string;
  selected: boolean;
}

/** A select's options with the posted value selected; a saved value the list lacks is kept as an option. */
export function optionsFor(
  choices: { value: string; text: string }[],
  value: string,
  blank: string | null = 'Choose',
): Option[] {
  const all = blank === null ? [...choices] : [{ value: '', text: blank }, ...choices];
  if (value !== '' && !all.some((choice) => choice.value === value)) all.push({ value, text: value });
  return all.map((choice) => ({ ...choice, selected: choice.value === value }));
}

/** How many rows of a list a form shows: the rows it holds (`partners-3-…` means four) plus `extra` blank ones. */
export function rowCount(values: FormValues, list: string, extra: number): number {
  const pattern = new RegExp(`^${list}-(\\d+)-`);
  let rows = 0;
  for (const key of Object.keys(values)) {
    const match = pattern.exec(key);
    if (match) rows = Math.max(rows, Number(match[1]) + 1);
  }
  return rows + extra;
}

/**
 * Reads a posted form into an API body. Typing problems (a typo in money, half a date) collect in `problems`
 * with the form's own pointers; list rows left blank are skipped, and `errorItems` renumbers the service's
 * details (which count only the rows sent) back to the rows on the form.
 */
export class FormReader {
  readonly problems: ErrorDetail[] = [];
  private readonly rowsOf = new Map<string, number[]>();

  constructor(private readonly values: FormValues) {}

  /** The trimmed text of the field for `pointer`, or undefined when blank. */
  text(pointer: string): string | undefined {
    const value = rawValue(this.values, fieldId(pointer)).trim();
    return value === '' ? undefined : value;
  }

  /** The field's text exactly as typed (passwords), or undefined when empty. */
  exact(pointer: string): string | undefined {
    const value = rawValue(this.values, fieldId(pointer));
    return value === '' ? undefined : value;
  }

  /** The non-blank values of a repeated field (checkboxes). */
  list(pointer: string): string[] {
    return rawValues(this.values, fieldId(pointer))
      .map((value) => value.trim())
      .filter((value) => value !== '');
  }

  /** Money typed as people type it ("£500,000", "500000.00") in pence; undefined when blank or not money. */
  pounds(pointer: string): number | undefined {
    const text = this.text(pointer);
    if (text === undefined) return undefined;
    const pence = parsePounds(text);
    if (pence === null) this.problems.push({ path: pointer, message: MONEY_MESSAGE });
    return pence ?? undefined;
  }

  /** A whole number ("1,200" allowed); undefined when blank or not a whole number. */
  wholeNumber(pointer: string): number | undefined {
    const text = this.text(pointer);
    if (text === undefined) return undefined;
    const digits = /^(\d{1,3}(?:,\d{3})+|\d+)$/.test(text) ? Number(text.replaceAll(',', '')) : NaN;
    if (!Number.isSafeInteger(digits)) {
      this.problems.push({ path: pointer, message: WHOLE_NUMBER_MESSAGE });
      return undefined;
    }
    return digits;
  }

  /**
   * A GOV.UK date input (fields `<id>-day`, `-month`, `-year`) as YYYY-MM-DD; undefined when all blank.
   * Anything that is not a real calendar date is a problem named with `label` ("start date").
   */
  date(pointer: string, label: string): string | undefined {
    const id = fieldId(pointer);
    const parts = ['day', 'month', 'year'].map((part) => rawValue(this.values, `${id}-${part}`).trim());
    if (parts.every((part) => part === '')) return undefined;
    const [day, month, year] = parts.map((part) => (/^\d{1,4}$/.test(part) ? Number(part) : NaN));
    const date = new Date(Date.UTC(year, month - 1, day));
    if (
      !(year >= 1000 && year <= 9999) ||
      date.getUTCFullYear() !== year ||
      date.getUTCMonth() !== month - 1 ||
      date.getUTCDate() !== day
    ) {
      this.problems.push({ path: pointer, message: `The ${label} must be a real date, like 1 4 2027` });
      return undefined;
    }
    return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }

  /**
   * The rows of a list posted as `<list>-<n>-<field>`, in order, skipping rows whose `fields` are all blank;
   * `read` gets each row's pointer (`/partners/2`) and its form index.
   */
  rows<T>(list: string, fields: string[], read: (row: string, index: number) => T): T[] {
    const id = fieldId(list);
    const count = rowCount(this.values, id, 0);
    const kept: number[] = [];
    const items: T[] = [];
    for (let index = 0; index < count; index += 1) {
      const blank = fields.every((field) => rawValue(this.values, `${id}-${index}-${field}`).trim() === '');
      if (blank) continue;
      kept.push(index);
      items.push(read(`${list}/${index}`, index));
    }
    this.rowsOf.set(list, kept);
    return items;
  }

  /** The form's typing problems and the service's details, as error summary items linked to their inputs. */
  errorItems(details: ErrorDetail[] = [], fallback = 'main-content'): ErrorItem[] {
    // A field with a typo was left out of the body, so the schema may call it missing: the typo says more.
    const typed = new Set(this.problems.map((problem) => problem.path));
    const others = details.map((detail) => this.onTheForm(detail)).filter((detail) => !typed.has(detail.path));
    return toErrorItems([...this.problems, ...others], fallback);
  }

  /** A detail about item n of a list as sent, pointed at the row of the form it came from. */
  private onTheForm(detail: ErrorDetail): ErrorDetail {
    for (const [list, kept] of this.rowsOf) {
      const match = new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(\\d+)(/.*)?$`).exec(detail.path);
      if (match && kept[Number(match[1])] !== undefined) {
        return { ...detail, path: `${list}/${kept[Number(match[1])]}${match[2] ?? ''}` };
      }
    }
    return detail;
  }
}

/**
 * What a JSON Schema says about a body, as details (none when valid). A form with typos is not sent to its
 * service, but the rest of it is still judged by the same schema, so every problem shows at once.
 */
export function schemaProblems(schemaId: string, body: unknown): ErrorDetail[] {
  try {
    validate(schemaId, body);
    return [];
  } catch (error) {
    if (error instanceof Validation) return error.details;
    throw error;
  }
}

/** An object without the keys whose value is undefined (JSON Schema reads a present undefined as wrong). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A London date (a GOV.UK date input at `pointer`) and 24-hour time (`<pointer>/time`) as an ISO instant, British
 * Summer Time read from the time-zone data; typing problems are the reader's, named with `label` ("closing").
 */
export function readLondonInstant(
  reader: FormReader,
  values: FormValues,
  pointer: string,
  label: string,
): string | undefined {
  const date = reader.date(pointer, `${label} date`);
  const dateBlank = ['day', 'month', 'year'].every(
    (part) => rawValue(values, `${pointer.slice(1)}-${part}`).trim() === '',
  );
  const timeText = reader.text(`${pointer}/time`);
  if (timeText === undefined) {
    if (!dateBlank) reader.problems.push({ path: `${pointer}/time`, message: `Enter the ${label} time, like 23:59` });
    return undefined;
  }
  const time = parseClockTime(timeText);
  if (!time) {
    reader.problems.push({
      path: `${pointer}/time`,
      message: `Enter the ${label} time on the 24-hour clock, like 23:59`,
    });
    return undefined;
  }
  if (dateBlank) {
    reader.problems.push({ path: pointer, message: `Enter the ${label} date` });
    return undefined;
  }
  if (date === undefined) return undefined;
  const [year, month, day] = date.split('-').map(Number);
  return londonToInstant({ year, month, day, ...time }).toISOString();
}

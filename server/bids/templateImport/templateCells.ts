/**
 * Reading one template cell into a bid field's value. Each function answers a value or a message for the
 * bid writer; a typo is reported at its cell, never guessed at.
 */
import ExcelJS from 'exceljs';
import { parsePounds } from '../../shared/money.ts';
import type { CellKind, Choice } from '../templateLayout.ts';

/** What a cell holds, whatever way ExcelJS stored it. */
export type CellContent =
  | { type: 'blank' }
  | { type: 'text'; text: string }
  | { type: 'number'; value: number }
  | { type: 'date'; value: Date }
  | { type: 'boolean'; value: boolean }
  | { type: 'formula' }
  | { type: 'error'; error: string };

export type Reading<T> = { value: T } | { problem: string };

/** A cell's content; text is trimmed, and text of only spaces is blank. */
export function contentOf(cell: ExcelJS.Cell): CellContent {
  const value = cell.value;
  if (value === null || value === undefined) return { type: 'blank' };
  if (typeof value === 'number') return { type: 'number', value };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (value instanceof Date) return { type: 'date', value };
  if (typeof value === 'string') return textContent(value);
  if ('formula' in value || 'sharedFormula' in value) return { type: 'formula' };
  if ('error' in value) return { type: 'error', error: String(value.error) };
  if ('richText' in value) return textContent(value.richText.map((run) => run.text).join(''));
  if ('hyperlink' in value) {
    const text = value.text as unknown;
    // ExcelJS gives a hyperlink's text as rich text when the link text was formatted
    if (typeof text === 'object' && text !== null && 'richText' in text)
      return textContent((text as ExcelJS.CellRichTextValue).richText.map((run) => run.text).join(''));
    return textContent(String(text ?? ''));
  }
  return { type: 'error', error: 'an unknown value' };
}

function textContent(text: string): CellContent {
  const trimmed = text.trim();
  return trimmed === '' ? { type: 'blank' } : { type: 'text', text: trimmed };
}

const FORMULA: Record<CellKind, string> = {
  money: 'Type the amount, not a formula',
  whole: 'Type the number, not a formula',
  date: 'Type the date, not a formula',
  text: 'Type the value, not a formula',
  choice: 'Choose a value, not a formula',
  places: 'Type the areas, not a formula',
  evidence: 'Type the file name, not a formula',
  partner: "Type the partner's name, not a formula",
};

/** Refusals every kind of cell shares: a formula or an error value is never read as an answer. */
export function refusal(content: CellContent, kind: CellKind): string | undefined {
  if (content.type === 'formula') return FORMULA[kind];
  if (content.type === 'error') return `The cell shows an error (${content.error}); type the value instead`;
  return undefined;
}

const MONEY_MESSAGE = 'Enter an amount in pounds, like 450000.00 or £450,000.00';

/**
 * Pounds into whole pence, exactly. A number cell is read through its shortest decimal form (what Excel stored),
 * so 450000.5 is 45000050 pence and 0.1 + 0.2's 0.30000000000000004 is refused rather than rounded.
 */
export function readMoney(content: CellContent): Reading<number> {
  if (content.type === 'number') {
    const decimal = String(content.value);
    const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
    if (!match) {
      if (/^-?\d+\.\d+$/.test(decimal))
        return { problem: 'Enter pounds with at most two decimal places (whole pence)' };
      return { problem: MONEY_MESSAGE };
    }
    if (match[1] === '-') return { problem: 'Enter an amount of £0.00 or more' };
    const pence = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
    return Number.isSafeInteger(pence) ? { value: pence } : { problem: MONEY_MESSAGE };
  }
  if (content.type === 'text') {
    const pence = parsePounds(content.text);
    return pence === null ? { problem: MONEY_MESSAGE } : { value: pence };
  }
  return { problem: MONEY_MESSAGE };
}

/** A whole number of participants, typed as a number or as digits (with thousands commas). */
export function readWhole(content: CellContent): Reading<number> {
  const message = 'Enter a whole number, like 250';
  if (content.type === 'number')
    return Number.isSafeInteger(content.value) && content.value >= 0 ? { value: content.value } : { problem: message };
  if (content.type === 'text' && /^(\d{1,3}(,\d{3})+|\d+)$/.test(content.text)) {
    const value = Number(content.text.replaceAll(',', ''));
    return Number.isSafeInteger(value) ? { value } : { problem: message };
  }
  return { problem: message };
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A calendar date: a date cell, or text as 2027-04-01 or 1/4/2027 (day first, as in the UK). */
export function readDate(content: CellContent): Reading<string> {
  const message = 'Enter the date as YYYY-MM-DD, like 2027-04-01';
  // ExcelJS gives a date cell as midnight UTC of its calendar day
  if (content.type === 'date')
    return Number.isNaN(content.value.getTime())
      ? { problem: message }
      : { value: content.value.toISOString().slice(0, 10) };
  if (content.type !== 'text') return { problem: message };
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(content.text);
  const iso = match
    ? isoDate(Number(match[1]), Number(match[2]), Number(match[3]))
    : (match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(content.text))
      ? isoDate(Number(match[3]), Number(match[2]), Number(match[1]))
      : undefined;
  return iso ? { value: iso } : { problem: message };
}

/** Text as typed; a number keeps its digits, a date becomes YYYY-MM-DD. */
export function readText(content: CellContent): Reading<string> {
  if (content.type === 'text') return { value: content.text };
  if (content.type === 'number') return { value: String(content.value) };
  if (content.type === 'date') return { value: content.value.toISOString().slice(0, 10) };
  if (content.type === 'boolean') return { value: content.value ? 'TRUE' : 'FALSE' };
  return { problem: 'Type the value' };
}

/** One of a list's choices, by its label or its stored value, in any case. */
export function readChoice(content: CellContent, choices: Choice[]): Reading<string> {
  const typed = readText(content);
  if ('value' in typed) {
    const wanted = typed.value.toLowerCase().replace(/\s+/g, ' ');
    const found = choices.find(
      (choice) => choice.label.toLowerCase() === wanted || choice.value.toLowerCase() === wanted,
    );
    if (found) return { value: found.value };
  }
  return { problem: `Choose one of: ${choices.map((choice) => choice.label).join(', ')}` };
}

/** Local authority areas, separated by semicolons (or new lines); the writer joins them with "; ". */
export function readPlaces(content: CellContent): Reading<string[]> {
  const typed = readText(content);
  if (!('value' in typed)) return typed;
  return {
    value: typed.value
      .split(/[;\n]/)
      .map((place) => place.trim())
      .filter((place) => place !== ''),
  };
}

/** An uploaded file of the bid, by its id or its file name (when no other file of the bid has that name). */
export function readEvidence(content: CellContent, files: { id: string; filename: string }[]): Reading<string> {
  const typed = readText(content);
  if ('value' in typed) {
    const byId = files.find((file) => file.id.toLowerCase() === typed.value.toLowerCase());
    if (byId) return { value: byId.id };
    const byName = files.filter((file) => file.filename === typed.value);
    if (byName.length === 1) return { value: byName[0].id };
    if (byName.length > 1)
      return { problem: "More than one file of the bid has that name; give the file's id instead" };
  }
  return { problem: 'No file of that name is uploaded to this bid; upload the letter first, then name it here' };
}

/**
 * What a bid must have before it can be submitted (API.md, "Bodies"): anything missing here is a 422.
 * Everything else — floor, rate, match, partner shares, targets, gap claims — is the gateway's to judge.
 */
import type { BidFields, Narrative } from './types.ts';

export interface MissingField {
  /** A JSON pointer into the bid: `/title`, `/narrative/need`, `/endDate`. */
  path: string;
  message: string;
}

const NARRATIVE_SECTIONS: { key: keyof Narrative; name: string }[] = [
  { key: 'need', name: 'need and gap' },
  { key: 'activities', name: 'activities' },
  { key: 'delivery', name: 'delivery' },
  { key: 'management', name: 'management and control' },
  { key: 'crossCuttingThemes', name: 'cross-cutting themes' },
];

/** Lists what the bid still lacks before it can be submitted (JSON pointer and plain words); empty when complete. */
export function missingForSubmission(bid: BidFields): MissingField[] {
  const missing: MissingField[] = [];
  const need = (path: string, message: string) => missing.push({ path, message });

  if (!hasText(bid.title)) need('/title', "Enter the bid's title");
  if (!hasText(bid.summary)) need('/summary', 'Enter a summary of the bid');

  const start = checkDate(bid.startDate, '/startDate', 'start date', need);
  const end = checkDate(bid.endDate, '/endDate', 'end date', need);
  // ISO calendar dates in the same format order the same as strings and as days.
  if (start && end && end <= start) need('/endDate', 'The end date must be after the start date');

  if (!(bid.geography ?? []).some(hasText)) {
    need('/geography', 'Choose at least one area the bid will cover');
  }
  for (const { key, name } of NARRATIVE_SECTIONS) {
    if (!hasText(bid.narrative?.[key])) need(`/narrative/${key}`, `Write the ${name} section`);
  }
  if ((bid.partners ?? []).length === 0) need('/partners', 'Add at least one partner, including the lead');
  if ((bid.priorities ?? []).length === 0) need('/priorities', 'Choose at least one investment priority and its ESF');
  if (typeof bid.totalEligibleCostPence !== 'number') {
    need('/totalEligibleCostPence', "Enter the bid's total eligible cost");
  }
  return missing;
}

/** The date when it is a real YYYY-MM-DD calendar date; otherwise records why not and returns null. */
function checkDate(
  value: string | undefined,
  path: string,
  name: string,
  need: (path: string, message: string) => void,
): string | null {
  if (!hasText(value)) {
    need(path, `Enter the ${name}`);
    return null;
  }
  if (!isCalendarDate(value)) {
    need(path, `The ${name} must be a real date, like 2027-04-01`);
    return null;
  }
  return value;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function hasText(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

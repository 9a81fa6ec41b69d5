/** Instants read as Europe/London wall-clock time, for files that carry no time zone (spreadsheets, open data). */
import { londonOffsetMillis } from './londonTime.ts';

/**
 * The London wall-clock time of an instant as a Date whose UTC fields carry it: spreadsheet serial dates have
 * no zone and ExcelJS converts from UTC, so 14:05 in London (13:05 UTC in summer) shows as 14:05.
 */
export function londonClockDate(instant: Date): Date {
  const ms = instant.getTime();
  return new Date(Math.floor(ms / 1000) * 1000 + londonOffsetMillis(ms));
}

/** The London calendar date of an instant as YYYY-MM-DD. */
export function londonDate(instant: Date): string {
  return londonClockDate(instant).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD calendar date as a Date at midnight UTC (a whole day in a spreadsheet). */
export function calendarDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** How instants and dates read on pages: Europe/London time, in words people use. */
import { londonWallClock } from './londonTime.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const HOUR = 3_600_000;

/**
 * London's offset from UTC in the UTC hour an instant falls in, read from the platform's time-zone data and kept
 * for that hour: the clocks change on the hour (01:00 UTC), so an hour has one offset. Intl, asked for every
 * instant on a page, was the call page's largest single cost (found by `npm run bench`).
 */
const offsets = new Map<number, number>();
function londonOffsetMillis(instant: number): number {
  const hour = Math.floor(instant / HOUR);
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const w = londonWallClock(new Date(hour * HOUR));
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - hour * HOUR;
    // A bound, not a cache policy: pages show a few instants, so this is reached only by a long-running process.
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset;
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "6 February 2027 at 11:59pm" in Europe/London time (12am is midnight, 12pm noon). */
export function formatLondonDateTime(instant: Date | string): string {
  const t = (typeof instant === 'string' ? new Date(instant) : instant).getTime();
  const london = new Date(t + londonOffsetMillis(t));
  const hour = london.getUTCHours();
  const minute = String(london.getUTCMinutes()).padStart(2, '0');
  const time = `${hour % 12 === 0 ? 12 : hour % 12}:${minute}${hour < 12 ? 'am' : 'pm'}`;
  return `${london.getUTCDate()} ${MONTHS[london.getUTCMonth()]} ${london.getUTCFullYear()} at ${time}`;
}

/**
 * "6 February 2027 at 23:59:00 GMT" (or "… 00:05:09.042 BST" with milliseconds): an instant to the second in
 * London's 24-hour time, with the zone, for records such as a receipt's gateway check.
 */
export function formatLondonInstant(instant: Date, options: { milliseconds?: boolean } = {}): string {
  const t = instant.getTime();
  const offset = londonOffsetMillis(t);
  const london = new Date(t + offset);
  const two = (n: number) => String(n).padStart(2, '0');
  const ms = options.milliseconds ? `.${String(london.getUTCMilliseconds()).padStart(3, '0')}` : '';
  const time = `${two(london.getUTCHours())}:${two(london.getUTCMinutes())}:${two(london.getUTCSeconds())}${ms}`;
  const zone = offset === 0 ? 'GMT' : offset === HOUR ? 'BST' : `UTC${offset > 0 ? '+' : '-'}${Math.abs(offset) / HOUR}`;
  return `${london.getUTCDate()} ${MONTHS[london.getUTCMonth()]} ${london.getUTCFullYear()} at ${time} ${zone}`;
}

/** "6 February 2027" for an instant (in London) or a YYYY-MM-DD calendar date. */
export function formatLondonDate(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return londonDate.format(new Date(`${value}T12:00:00Z`));
  }
  return londonDate.format(typeof value === 'string' ? new Date(value) : value);
}

/** How instants and dates read on pages: Europe/London time, in words people use. */
import { HOUR, londonOffsetMillis } from './londonTime.ts';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

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
  const zone =
    offset === 0 ? 'GMT' : offset === HOUR ? 'BST' : `UTC${offset > 0 ? '+' : '-'}${Math.abs(offset) / HOUR}`;
  return `${london.getUTCDate()} ${MONTHS[london.getUTCMonth()]} ${london.getUTCFullYear()} at ${time} ${zone}`;
}

/** "6 February 2027" for an instant (in London) or a YYYY-MM-DD calendar date. */
export function formatLondonDate(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return londonDate.format(new Date(`${value}T12:00:00Z`));
  }
  return londonDate.format(typeof value === 'string' ? new Date(value) : value);
}

/** How instants and dates read on pages: Europe/London time, in words people use. */

const londonDateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // h12, not hour12: en-GB's 12-hour clock is otherwise h11, which writes 12:23pm as "0:23pm".
  hourCycle: 'h12',
});

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "6 February 2027 at 11:59pm" in Europe/London time. */
export function formatLondonDateTime(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const parts = Object.fromEntries(londonDateTime.formatToParts(date).map((part) => [part.type, part.value]));
  const time = `${parts.hour}:${parts.minute}${(parts.dayPeriod ?? '').toLowerCase()}`;
  return `${parts.day} ${parts.month} ${parts.year} at ${time}`;
}

/** "6 February 2027" for an instant (in London) or a YYYY-MM-DD calendar date. */
export function formatLondonDate(value: Date | string): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return londonDate.format(new Date(`${value}T12:00:00Z`));
  }
  return londonDate.format(typeof value === 'string' ? new Date(value) : value);
}

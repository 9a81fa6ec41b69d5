/**
 * Wall-clock time in London and the instant it names. Officers type a deadline as people in England read it
 * ("6 February 2027, 23:59"); the API stores an instant in UTC. British Summer Time is read from the platform's
 * time-zone data, never assumed.
 */

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

export interface LondonWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

/** The London wall clock at an instant. */
export function londonWallClock(instant: Date): Required<LondonWallClock> {
  const p = Object.fromEntries(parts.formatToParts(instant).map((part) => [part.type, Number(part.value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** An hour in milliseconds: London's offsets from UTC are whole hours, and change on the hour. */
export const HOUR = 3_600_000;

/** London's offset from UTC at one instant, to the second, from the wall clock Intl gives. */
function offsetAt(ms: number): number {
  const w = londonWallClock(new Date(ms));
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** Each UTC hour's offset once worked out, or null for an hour the offset changes within (none in London). */
const offsets = new Map<number, number | null>();

/**
 * London's offset from UTC at an instant, in milliseconds (0 in winter, an hour in summer), for pages and files
 * that show many instants: Intl is slow, and the offset changes only on the hour (01:00 UTC), so it is worked out
 * once for each UTC hour the instants fall in, checked at both ends of the hour, and kept.
 */
export function londonOffsetMillis(ms: number): number {
  const hour = Math.floor(ms / HOUR) * HOUR;
  let offset = offsets.get(hour);
  if (offset === undefined) {
    const atStart = offsetAt(hour);
    offset = atStart === offsetAt(hour + HOUR - 1000) ? atStart : null;
    // A bound, not a cache policy: pages and files show instants from a few hours, so it is reached only by a
    // process that has run for a long time.
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(hour, offset);
  }
  return offset ?? offsetAt(ms);
}

/**
 * The instant a London wall-clock time names. London is UTC or UTC+1, so it is one of two instants. In the
 * autumn hour that happens twice the earlier (summer) one is taken; a time in the spring hour that never
 * happens is read as Greenwich time, as if the clocks had not yet gone forward.
 */
export function londonToInstant(clock: LondonWallClock): Date {
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second ?? 0);
  const readings = [asUtc - HOUR, asUtc].filter((t) => {
    const w = londonWallClock(new Date(t));
    return (
      w.year === clock.year &&
      w.month === clock.month &&
      w.day === clock.day &&
      w.hour === clock.hour &&
      w.minute === clock.minute
    );
  });
  return new Date(readings[0] ?? asUtc);
}

/**
 * "23:59" → {hour: 23, minute: 59, second: 0}; undefined when it is not a 24-hour time. Accepts "9:00", "9.00"
 * and seconds ("23:59:59"), so a deadline set to the second through the API survives an edit on the page.
 */
export function parseClockTime(text: string): { hour: number; minute: number; second: number } | undefined {
  const match = /^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [hour, minute, second] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return { hour, minute, second };
}

/** An instant as the date and 24-hour time fields of a form, in London. */
export function londonFormFields(instant: Date): { day: string; month: string; year: string; time: string } {
  const w = londonWallClock(instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    day: String(w.day),
    month: String(w.month),
    year: String(w.year),
    time: `${two(w.hour)}:${two(w.minute)}${w.second === 0 ? '' : `:${two(w.second)}`}`,
  };
}

import { expect } from 'chai';
import fc from 'fast-check';
import { formatLondonDateTime, formatLondonInstant } from '../../../server/shared/londonFormat.ts';

/** The same words straight from Intl for every instant: what formatLondonDateTime must agree with. */
const intl = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: 'h12',
});
function byIntl(instant: Date): string {
  const parts = Object.fromEntries(intl.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}${(parts.dayPeriod ?? '').toLowerCase()}`;
}

describe('formatLondonDateTime', () => {
  it('writes an instant in London time as people read it', () => {
    expect(formatLondonDateTime(new Date('2027-02-06T23:59:00Z'))).to.equal('6 February 2027 at 11:59pm');
    expect(formatLondonDateTime('2027-07-01T11:00:00Z')).to.equal('1 July 2027 at 12:00pm');
    expect(formatLondonDateTime('2027-06-30T23:30:00Z')).to.equal('1 July 2027 at 12:30am');
  });

  it('moves with the clocks on the minute they change, spring and autumn', () => {
    // 2027: clocks go forward at 01:00 UTC on 28 March and back at 01:00 UTC on 31 October.
    expect(formatLondonDateTime('2027-03-28T00:59:59Z')).to.equal('28 March 2027 at 12:59am');
    expect(formatLondonDateTime('2027-03-28T01:00:00Z')).to.equal('28 March 2027 at 2:00am');
    expect(formatLondonDateTime('2027-10-31T00:59:59Z')).to.equal('31 October 2027 at 1:59am');
    expect(formatLondonDateTime('2027-10-31T01:00:00Z')).to.equal('31 October 2027 at 1:00am');
  });

  it('agrees with Intl for any instant from 1990 to 2100, seconds included', () => {
    const from = Date.UTC(1990, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (t) => {
        expect(formatLondonDateTime(new Date(t))).to.equal(byIntl(new Date(t)));
      }),
      { numRuns: 5_000 },
    );
  });

  it('agrees with Intl in the hours around every change of the clocks from 1996 to 2099', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1996, max: 2099 }),
        fc.constantFrom(2, 9),
        fc.integer({ min: -7_200_000, max: 7_200_000 }),
        (year, month, offset) => {
          // The last Sunday of March or October, 01:00 UTC.
          const last = new Date(Date.UTC(year, month, 31, 1));
          const change = last.getTime() - last.getUTCDay() * 86_400_000;
          const t = new Date(change + offset);
          expect(formatLondonDateTime(t)).to.equal(byIntl(t));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  describe('formatLondonInstant', () => {
    const options = {
      timeZone: 'Europe/London',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    } as const;
    const seconds = new Intl.DateTimeFormat('en-GB', options);
    const millis = new Intl.DateTimeFormat('en-GB', { ...options, fractionalSecondDigits: 3 });

    it('writes an instant to the second, or the millisecond, with GMT or BST', () => {
      expect(formatLondonInstant(new Date('2027-02-06T23:59:00Z'))).to.equal('6 February 2027 at 23:59:00 GMT');
      expect(formatLondonInstant(new Date('2027-07-06T00:05:09.042Z'), { milliseconds: true })).to.equal(
        '6 July 2027 at 01:05:09.042 BST',
      );
    });

    it('agrees with Intl for any instant from 1990 to 2100, and around every change of the clocks', () => {
      const near = fc
        .tuple(
          fc.integer({ min: 1996, max: 2099 }),
          fc.constantFrom(2, 9),
          fc.integer({ min: -7_200_000, max: 7_200_000 }),
        )
        .map(([year, month, offset]) => {
          const last = new Date(Date.UTC(year, month, 31, 1));
          return last.getTime() - last.getUTCDay() * 86_400_000 + offset;
        });
      fc.assert(
        fc.property(fc.oneof(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), near), (t) => {
          expect(formatLondonInstant(new Date(t))).to.equal(seconds.format(new Date(t)));
          expect(formatLondonInstant(new Date(t), { milliseconds: true })).to.equal(millis.format(new Date(t)));
        }),
        { numRuns: 4_000 },
      );
    });
  });
});

import { expect } from 'chai';
import { londonFormFields, londonToInstant, parseClockTime } from '../../../server/shared/londonTime.ts';

describe('London wall-clock time', () => {
  it('reads a winter time as UTC and a summer time as an hour ahead of it', () => {
    expect(londonToInstant({ year: 2027, month: 2, day: 6, hour: 23, minute: 59 }).toISOString()).to.equal(
      '2027-02-06T23:59:00.000Z',
    );
    expect(londonToInstant({ year: 2027, month: 7, day: 6, hour: 23, minute: 59, second: 59 }).toISOString()).to.equal(
      '2027-07-06T22:59:59.000Z',
    );
  });

  it('takes the first of the two 1:30ams in October, and reads the missing March hour as Greenwich time', () => {
    // Clocks go back at 2am BST on 31 October 2027: 1:30am happens at 00:30Z and again at 01:30Z.
    expect(londonToInstant({ year: 2027, month: 10, day: 31, hour: 1, minute: 30 }).toISOString()).to.equal(
      '2027-10-31T00:30:00.000Z',
    );
    // Clocks go forward at 1am GMT on 28 March 2027: 1:30am never happens.
    expect(londonToInstant({ year: 2027, month: 3, day: 28, hour: 1, minute: 30 }).toISOString()).to.equal(
      '2027-03-28T01:30:00.000Z',
    );
  });

  it('shows an instant as London form fields, with seconds only when it has them, and reads them back', () => {
    expect(londonFormFields(new Date('2027-07-06T22:59:00Z'))).to.deep.equal({
      day: '6',
      month: '7',
      year: '2027',
      time: '23:59',
    });
    const fields = londonFormFields(new Date('2027-02-06T23:59:59Z'));
    expect(fields.time).to.equal('23:59:59');
    const clock = parseClockTime(fields.time)!;
    expect(londonToInstant({ year: 2027, month: 2, day: 6, ...clock }).toISOString()).to.equal(
      '2027-02-06T23:59:59.000Z',
    );
  });

  it('reads 24-hour times as people type them and refuses the rest', () => {
    expect(parseClockTime('9:00')).to.deep.equal({ hour: 9, minute: 0, second: 0 });
    expect(parseClockTime(' 23.59 ')).to.deep.equal({ hour: 23, minute: 59, second: 0 });
    for (const typo of ['24:00', '12:60', '9am', '1200', '', '12:00:60'])
      expect(parseClockTime(typo), typo).to.equal(undefined);
  });
});

import { expect } from 'chai';
import { safeText, MAX_CELL_CHARACTERS } from '../../../server/exports/safeText.ts';
import { columnLetter, columnWidth, fitWidths } from '../../../server/exports/workbookSheets.ts';
import { londonWallClock } from '../../../server/shared/londonTime.ts';
import { calendarDate, londonClockDate, londonDate } from '../../../server/shared/londonDates.ts';
import { grantPrefix, orgIdentifier } from '../../../server/exports/openData.ts';

describe('workbook cells', () => {
  it('keeps text as typed, formula-like or not, and drops only what XML cannot carry', () => {
    expect(safeText('=HYPERLINK("http://x","y")')).to.equal('=HYPERLINK("http://x","y")');
    expect(safeText('\tTab\r\nand lines')).to.equal('\tTab\r\nand lines');
    expect(safeText('bell\u0007 nul\u0000 \uFFFF')).to.equal('bell nul ');
    expect(safeText('lone \uD800 high, pair \uD83D\uDE00 kept, lone \uDE00 low')).to.equal(
      'lone  high, pair \uD83D\uDE00 kept, lone  low',
    );
    expect(safeText(null)).to.equal('');
  });

  it('cuts text to the 32,767 characters a cell holds, never through a surrogate pair', () => {
    const long = safeText('a'.repeat(MAX_CELL_CHARACTERS + 10));
    expect(long).to.have.length(MAX_CELL_CHARACTERS);
    expect(long.endsWith('…')).to.equal(true);
    const emoji = safeText(`${'a'.repeat(MAX_CELL_CHARACTERS - 3)}\uD83D\uDE00${'b'.repeat(10)}`);
    expect(emoji.length).to.be.at.most(MAX_CELL_CHARACTERS);
    expect(emoji).to.not.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('names columns as spreadsheets do', () => {
    expect([1, 26, 27, 30, 52, 703].map(columnLetter)).to.deep.equal(['A', 'Z', 'AA', 'AD', 'AZ', 'AAA']);
  });

  it('fits text columns to their longest line, within bounds, and never narrower than the header', () => {
    const [title, money] = fitWidths(
      [
        { header: 'Title', kind: 'text' },
        { header: 'Total eligible cost', kind: 'money' },
      ],
      [
        ['Working Well Together', 1],
        ['x'.repeat(200), 2],
      ],
    );
    expect(title.width).to.equal(60);
    expect(columnWidth(money)).to.equal(22);
  });

  it('shows instants in London time and calendar dates as whole days', () => {
    // 13:05 UTC in British Summer Time is 14:05 in London; in winter the clocks agree.
    expect(londonClockDate(new Date('2027-06-01T13:05:00Z')).toISOString()).to.equal('2027-06-01T14:05:00.000Z');
    expect(londonClockDate(new Date('2027-01-15T13:05:00Z')).toISOString()).to.equal('2027-01-15T13:05:00.000Z');
    expect(londonDate(new Date('2027-03-31T23:30:00Z'))).to.equal('2027-04-01');
    expect(calendarDate('2027-04-01')?.toISOString()).to.equal('2027-04-01T00:00:00.000Z');
    expect(calendarDate('1 April 2027')).to.equal(null);
  });

  it('reads many instants as London wall-clock time, hour by hour, exactly as one at a time, across the clock changes', () => {
    // One at a time: the wall clock Intl gives for each instant, to the second.
    const oneAtATime = (instant: Date) => {
      const w = londonWallClock(instant);
      return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
    };
    const instants: Date[] = [];
    // Both 2027 changes (28 March and 31 October, 01:00 UTC), every 7 min 13.5 s for a day around each; then odd ones.
    for (const change of [Date.UTC(2027, 2, 28, 1), Date.UTC(2027, 9, 31, 1)])
      for (let t = change - 12 * 3_600_000; t < change + 12 * 3_600_000; t += 433_500) instants.push(new Date(t));
    instants.push(
      new Date('1969-12-31T23:59:59.500Z'),
      new Date('1971-06-01T12:00:00Z'),
      new Date('2027-06-01T13:05:59.999Z'),
    );
    for (const instant of instants)
      expect(londonClockDate(instant).toISOString(), instant.toISOString()).to.equal(oneAtATime(instant).toISOString());
    expect(londonClockDate(new Date('2027-06-01T13:05:07.250Z')).toISOString()).to.equal('2027-06-01T14:05:07.000Z');
  });
});

describe('open data identifiers', () => {
  it("builds org-id.guide identifiers, keeping a company number's leading zeros", () => {
    expect(orgIdentifier({ charityNumber: '1164883', companyNumber: '01234567' })).to.equal('GB-CHC-1164883');
    expect(orgIdentifier({ companyNumber: '01234567' })).to.equal('GB-COH-01234567');
    expect(orgIdentifier({ companyNumber: 'sc 123456' })).to.equal('GB-COH-SC123456');
    expect(orgIdentifier({ charityNumber: null, companyNumber: null })).to.equal(null);
  });

  it('puts "360G-" in front of the publisher prefix once', () => {
    expect(grantPrefix('360G-d2n2')).to.equal('360G-d2n2');
    expect(grantPrefix('d2n2')).to.equal('360G-d2n2');
  });
});

import { expect } from 'chai';
import {
  fieldId,
  FormReader,
  MONEY_MESSAGE,
  poundsInputValue,
  rowCount,
  toErrorItems,
  WHOLE_NUMBER_MESSAGE,
} from '../../../server/web/forms.ts';

describe('form helpers', () => {
  describe('fieldId', () => {
    it('turns a JSON pointer into the input id the form uses', () => {
      expect(fieldId('/partners/0/esfPence')).to.equal('partners-0-esfPence');
      expect(fieldId('/narrative/need')).to.equal('narrative-need');
      expect(fieldId('/title')).to.equal('title');
      expect(fieldId('')).to.equal('');
    });

    it('unescapes JSON pointer escapes', () => {
      expect(fieldId('/a~1b/c~0d')).to.equal('a/b-c~d');
    });
  });

  it('links API error details to their inputs, and detail with no path to a fallback', () => {
    expect(
      toErrorItems([
        { path: '/partners/1/name', message: 'Required field "name" is missing' },
        { path: '', message: 'Breaks a rule of the data' },
      ]),
    ).to.deep.equal([
      { field: 'partners-1-name', message: 'Required field "name" is missing' },
      { field: 'main-content', message: 'Breaks a rule of the data' },
    ]);
  });

  describe('money', () => {
    for (const [typed, pence] of [
      ['£500,000', 50_000_000],
      ['500000.00', 50_000_000],
      ['£450,000', 45_000_000],
      [' 1234.56 ', 123_456],
      ['0', 0],
    ] as const) {
      it(`reads "${typed}" as exactly ${pence} pence`, () => {
        const form = new FormReader({ amount: typed });
        expect(form.pounds('/amount')).to.equal(pence);
        expect(form.problems).to.deep.equal([]);
      });
    }

    for (const typed of ['£45O,000', '1,234.5', '12,34', '£', '-5', '1e6', '£500k']) {
      it(`answers "${typed}" with a field error instead of guessing`, () => {
        const form = new FormReader({ 'partners-0-esfPence': typed });
        expect(form.pounds('/partners/0/esfPence')).to.equal(undefined);
        expect(form.errorItems()).to.deep.equal([{ field: 'partners-0-esfPence', message: MONEY_MESSAGE }]);
      });
    }

    it('leaves blank money out rather than reading it as zero', () => {
      const form = new FormReader({ amount: '  ' });
      expect(form.pounds('/amount')).to.equal(undefined);
      expect(form.problems).to.deep.equal([]);
    });

    it('shows pence in a £-prefixed input as pounds with separators', () => {
      expect(poundsInputValue(45_000_000)).to.equal('450,000.00');
      expect(poundsInputValue(undefined)).to.equal('');
    });
  });

  it('reads whole numbers and refuses anything else', () => {
    const form = new FormReader({ a: '1,200', b: '12.5', c: 'ten' });
    expect(form.wholeNumber('/a')).to.equal(1200);
    expect(form.wholeNumber('/b')).to.equal(undefined);
    expect(form.wholeNumber('/c')).to.equal(undefined);
    expect(form.problems.map((p) => p.message)).to.deep.equal([WHOLE_NUMBER_MESSAGE, WHOLE_NUMBER_MESSAGE]);
  });

  describe('dates', () => {
    it('reads a GOV.UK date input into an ISO date', () => {
      const form = new FormReader({ 'startDate-day': '1', 'startDate-month': '4', 'startDate-year': '2027' });
      expect(form.date('/startDate', 'start date')).to.equal('2027-04-01');
    });

    it('leaves an empty date out and refuses one that is not a real date', () => {
      const form = new FormReader({ 'endDate-day': '31', 'endDate-month': '2', 'endDate-year': '2027' });
      expect(form.date('/startDate', 'start date')).to.equal(undefined);
      expect(form.date('/endDate', 'end date')).to.equal(undefined);
      expect(form.errorItems()).to.deep.equal([
        { field: 'endDate', message: 'The end date must be a real date, like 1 4 2027' },
      ]);
    });
  });

  describe('lists', () => {
    it("skips blank rows and points the service's details back at the rows on the form", () => {
      const form = new FormReader({
        'partners-0-name': '',
        'partners-0-role': '',
        'partners-1-name': 'Derby College',
        'partners-1-role': 'lead',
        'partners-2-name': '',
        'partners-2-role': 'delivery',
      });
      const rows = form.rows('/partners', ['name', 'role'], (row, index) => ({
        row,
        index,
        name: form.text(`${row}/name`),
      }));
      expect(rows).to.deep.equal([
        { row: '/partners/1', index: 1, name: 'Derby College' },
        { row: '/partners/2', index: 2, name: undefined },
      ]);
      // the service numbers the rows it was sent: 0 and 1
      expect(
        form.errorItems([{ path: '/partners/1/name', message: 'Required field "name" is missing' }]),
      ).to.deep.equal([{ field: 'partners-2-name', message: 'Required field "name" is missing' }]);
    });

    it('counts the rows a form holds', () => {
      expect(
        rowCount({ 'targets-0-indicator': 'P-TOTAL', 'targets-3-target': '5', title: 'x' }, 'targets', 1),
      ).to.equal(5);
      expect(rowCount({}, 'targets', 1)).to.equal(1);
    });
  });
});

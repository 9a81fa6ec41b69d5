import { expect } from 'chai';
import {
  readDate,
  readMoney,
  readPlaces,
  readWhole,
  type CellContent,
} from '../../../../server/bids/templateImport/templateCells.ts';

const number = (value: number): CellContent => ({ type: 'number', value });
const text = (value: string): CellContent => ({ type: 'text', text: value });

describe('reading template cells', () => {
  it('reads pounds typed as numbers into exact pence', () => {
    expect(readMoney(number(450000))).to.deep.equal({ value: 45_000_000 });
    expect(readMoney(number(450000.5))).to.deep.equal({ value: 45_000_050 });
    expect(readMoney(number(0.07))).to.deep.equal({ value: 7 });
    expect(readMoney(number(1234567.89))).to.deep.equal({ value: 123_456_789 });
    expect(readMoney(number(0))).to.deep.equal({ value: 0 });
  });

  it('refuses fractions of a penny, float noise and negative amounts rather than rounding them', () => {
    expect(readMoney(number(450000.555))).to.have.property('problem');
    expect(readMoney(number(0.1 + 0.2))).to.have.property('problem');
    expect(readMoney(number(1e-7))).to.have.property('problem');
    expect(readMoney(number(-5))).to.deep.equal({ problem: 'Enter an amount of £0.00 or more' });
    expect(readMoney(number(1e21))).to.have.property('problem');
  });

  it('reads pounds typed as text through parsePounds, and answers a typo', () => {
    expect(readMoney(text('£450,000.00'))).to.deep.equal({ value: 45_000_000 });
    expect(readMoney(text('450000'))).to.deep.equal({ value: 45_000_000 });
    expect(readMoney(text('£45o,000'))).to.deep.equal({
      problem: 'Enter an amount in pounds, like 450000.00 or £450,000.00',
    });
    expect(readMoney({ type: 'boolean', value: true })).to.have.property('problem');
  });

  it('reads whole numbers of participants', () => {
    expect(readWhole(number(600))).to.deep.equal({ value: 600 });
    expect(readWhole(text('1,200'))).to.deep.equal({ value: 1200 });
    expect(readWhole(number(2.5))).to.have.property('problem');
    expect(readWhole(text('six'))).to.have.property('problem');
  });

  it('reads dates as date cells, ISO text or UK day-first text, and refuses days that do not exist', () => {
    expect(readDate({ type: 'date', value: new Date('2027-04-01T00:00:00Z') })).to.deep.equal({ value: '2027-04-01' });
    expect(readDate(text('2027-04-01'))).to.deep.equal({ value: '2027-04-01' });
    expect(readDate(text('1/4/2027'))).to.deep.equal({ value: '2027-04-01' });
    expect(readDate(text('31/02/2027'))).to.have.property('problem');
    expect(readDate(number(46478))).to.have.property('problem');
  });

  it('splits places on semicolons and new lines, keeping commas inside a name', () => {
    expect(readPlaces(text('Derby; Derbyshire\nBristol, City of;'))).to.deep.equal({
      value: ['Derby', 'Derbyshire', 'Bristol, City of'],
    });
  });
});

import { expect } from 'chai';
import { euFundNamed } from '../../../server/bids/euFunds.ts';

describe('match from EU funds (euFundNamed)', () => {
  const named = (funder: string) => euFundNamed(funder)?.name ?? null;

  it('finds an EU fund by its full name wherever it appears, in any case and punctuation', () => {
    expect(named('European Social Fund')).to.equal('European Social Fund');
    expect(named('european regional development fund (Priority Axis 1)')).to.equal(
      'European Regional Development Fund',
    );
    expect(named('The Youth-Employment Initiative')).to.equal('Youth Employment Initiative');
    expect(named('Grant from the European Commission')).to.equal('European Commission');
  });

  it('finds an acronym that is the whole name, or the whole name beside words like "fund" and "grant"', () => {
    expect(named('ESF')).to.equal('European Social Fund');
    expect(named('ERDF grant')).to.equal('European Regional Development Fund');
    expect(named('the EAFRD funding')).to.equal('European Agricultural Fund for Rural Development');
    expect(named('EU funds')).to.equal('European Union');
  });

  it('does not fail a funder that only mentions a fund beside its own name', () => {
    expect(named('Big Lottery Fund, ESF co-financing')).to.equal(null);
    expect(named('Education and Skills Funding Agency (ESFA)')).to.equal(null);
    expect(named('Derby City Council')).to.equal(null);
    expect(named('Volunteer time')).to.equal(null);
    expect(named('Fund')).to.equal(null);
    expect(named('')).to.equal(null);
  });
});

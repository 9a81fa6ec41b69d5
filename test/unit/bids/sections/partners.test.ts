import { expect } from 'chai';
import { partners } from '../../../../server/bids/sections/partners.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the partners section', () => {
  it('reads back exactly the partners it was filled from, money in pounds on the form', () => {
    const values = partners.values(draft, call);
    expect(values).to.include({
      'partners-0-name': 'Derby Community Partnership',
      'partners-0-esfPence': '400,000.00',
      'partners-1-companyNumber': '01234567',
    });
    const { part, problems } = readForm(partners, values);
    expect(problems).to.deep.equal([]);
    expect(part).to.deep.equal(owned(partners, draft));
  });

  it('upper-cases a company number, skips blank rows, and answers a typo in pounds on its field', () => {
    const { part, problems } = readForm(partners, {
      'partners-0-name': 'Lead',
      'partners-0-companyNumber': 'sc123456',
      'partners-0-esfPence': '£1,000',
      'partners-2-name': 'Third',
      'partners-2-matchPence': '12,34',
    });
    expect(part.partners).to.deep.equal([
      { name: 'Lead', companyNumber: 'SC123456', esfPence: 100_000 },
      { name: 'Third' },
    ]);
    expect(problems.map((p) => p.path)).to.deep.equal(['/partners/2/matchPence']);
    expect(readForm(partners, {}).part).to.deep.equal({ partners: undefined });
  });

  it('draws each partner and one blank row, with the role and type as choices', () => {
    const view = viewOf(partners, partners.values(draft, call)) as {
      partners: { number: number; role: { options: { value: string; selected?: boolean }[] } }[];
    };
    expect(view.partners.map((p) => p.number)).to.deep.equal([1, 2, 3]);
    expect(view.partners[0].role.options.find((o) => o.value === 'lead')).to.include({ selected: true });
  });
});

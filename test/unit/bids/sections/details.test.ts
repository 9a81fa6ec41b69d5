import { expect } from 'chai';
import { details } from '../../../../server/bids/sections/details.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the details section', () => {
  it('owns the title, summary, dates and geography, and reads back exactly the draft it was filled from', () => {
    expect(details.owns).to.deep.equal(['title', 'summary', 'startDate', 'endDate', 'geography']);
    const values = details.values(draft, call);
    expect(values).to.include({
      title: draft.title,
      'startDate-day': '1',
      'startDate-month': '4',
      'startDate-year': '2027',
    });
    const { part, problems } = readForm(details, values);
    expect(problems).to.deep.equal([]);
    expect(part).to.deep.equal(owned(details, draft));
  });

  it('clears every field of an empty form, and answers a date that does not exist on its field', () => {
    expect(readForm(details, {}).part).to.deep.equal({
      title: undefined,
      summary: undefined,
      startDate: undefined,
      endDate: undefined,
      geography: undefined,
    });
    const { problems } = readForm(details, { 'endDate-day': '31', 'endDate-month': '2', 'endDate-year': '2028' });
    expect(problems.map((p) => p.path)).to.deep.equal(['/endDate']);
  });

  it("offers the call's areas ticked as the draft has them, and keeps an area the call no longer lists", () => {
    const view = viewOf(details, { geography: ['Derby', 'Rutland'] }, { startDate: 'Enter a real date' }) as {
      geography: { items: { id: string; value: string; checked: boolean }[] };
      startDate: { error?: string };
    };
    expect(view.geography.items.map((i) => [i.value, i.checked])).to.deep.equal([
      ['Derby', true],
      ['Derbyshire', false],
      ['Nottingham', false],
      ['Nottinghamshire', false],
      ['Rutland', true],
    ]);
    expect(view.geography.items[0].id).to.equal('geography');
    expect(view.startDate.error).to.equal('Enter a real date');
  });
});

import { expect } from 'chai';
import { NARRATIVES } from '../../../../server/bids/labels.ts';
import { narratives } from '../../../../server/bids/sections/narratives.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the narratives section', () => {
  it('reads back exactly the five answers it was filled from', () => {
    const values = narratives.values(draft, call);
    expect(Object.keys(values)).to.have.length(5);
    expect(readForm(narratives, values).part).to.deep.equal(owned(narratives, draft));
  });

  it('keeps the answers given and clears the narrative when none is', () => {
    expect(readForm(narratives, { 'narrative-need': ' Need ' }).part).to.deep.equal({ narrative: { need: 'Need' } });
    expect(readForm(narratives, {}).part).to.deep.equal({ narrative: undefined });
  });

  it('draws a box for each answer with its title and hint', () => {
    const view = viewOf(narratives, { 'narrative-delivery': 'By the college' }) as {
      narratives: { key: string; field: { value: string } }[];
    };
    expect(view.narratives.map((n) => n.key)).to.deep.equal(NARRATIVES.map((n) => n.key));
    expect(view.narratives.find((n) => n.key === 'delivery')!.field.value).to.equal('By the college');
  });
});

import { expect } from 'chai';
import { documents } from '../../../../server/bids/sections/documents.ts';
import { call, draft, readForm, viewOf } from './support.ts';

describe('the documents section', () => {
  it('owns no field of the bid: its form reads, fills and draws nothing of it', () => {
    expect(documents.owns).to.deep.equal([]);
    expect(readForm(documents, { title: 'Not mine' }).part).to.deep.equal({});
    expect(documents.values(draft, call)).to.deep.equal({});
    expect(viewOf(documents, {})).to.deep.equal({});
  });
});

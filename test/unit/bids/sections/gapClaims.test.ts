import { expect } from 'chai';
import { gapClaims } from '../../../../server/bids/sections/gapClaims.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the gap claims section', () => {
  it("puts each claim beside the call's gap criterion it claims, and reads it back exactly", () => {
    const values = gapClaims.values(draft, call);
    expect(values).to.deep.equal({ 'gapClaims-0-narrative': draft.gapClaims![0].narrative });
    const { part } = readForm(gapClaims, values);
    expect(part).to.deep.equal(owned(gapClaims, draft));
  });

  it("reads a claim by its row's criterion, skipping unclaimed criteria and rows beyond the call's", () => {
    const { part } = readForm(gapClaims, { 'gapClaims-2-narrative': 'Groups', 'gapClaims-9-narrative': 'Nothing' });
    expect(part).to.deep.equal({ gapClaims: [{ gapCode: 'GAP-GROUPS', narrative: 'Groups' }] });
    expect(readForm(gapClaims, {}).part).to.deep.equal({ gapClaims: undefined });
  });

  it('draws every gap criterion of the call with its narrative box', () => {
    const view = viewOf(gapClaims, {}) as { gapClaims: { code: string }[] };
    expect(view.gapClaims.map((g) => g.code)).to.deep.equal(call.gapCriteria.map((g) => g.code));
  });
});

import { expect } from 'chai';
import { targets } from '../../../../server/bids/sections/targets.ts';
import { call, draft, owned, readForm, viewOf } from './support.ts';

describe('the targets section', () => {
  it('reads back exactly the output and result targets it was filled from', () => {
    const values = targets.values(draft, call);
    expect(values).to.include({
      'outputTargets-1-indicator': 'P-UNEMP',
      'outputTargets-1-target': '250',
      'resultTargets-0-target': '90',
    });
    const { part, problems } = readForm(targets, values);
    expect(problems).to.deep.equal([]);
    expect(part).to.deep.equal(owned(targets, draft));
  });

  it('answers a target that is not a whole number on its field', () => {
    const { problems } = readForm(targets, { 'outputTargets-0-indicator': 'P-TOTAL', 'outputTargets-0-target': '2.5' });
    expect(problems.map((p) => p.path)).to.deep.equal(['/outputTargets/0/target']);
  });

  it("offers only the indicators of the call's priorities, of each kind, titled from the catalogue", () => {
    const view = viewOf(targets, {}) as {
      outputTargets: { indicator: { options: { value: string; text: string }[] } }[];
      resultTargets: { indicator: { options: { value: string }[] } }[];
    };
    const outputs = view.outputTargets[0].indicator.options.map((o) => o.value).filter((v) => v !== '');
    expect(outputs).to.include('P-OFFEND').and.not.include('R-UNEMP-EMP');
    expect(view.outputTargets[0].indicator.options.find((o) => o.value === 'P-TOTAL')?.text).to.equal(
      'Participants (total) (P-TOTAL)',
    );
    const results = view.resultTargets[0].indicator.options.map((o) => o.value).filter((v) => v !== '');
    expect(results).to.include('R-L3').and.not.include('P-TOTAL');
  });
});

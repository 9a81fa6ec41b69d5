import { expect } from 'chai';
import { matchFunding } from '../../../../server/bids/sections/matchFunding.ts';
import type { AttachmentRow } from '../../../../server/models/bids.ts';
import { call, context, draft, owned, readForm } from './support.ts';

describe('the match funding section', () => {
  it('reads back exactly the lines it was filled from', () => {
    const values = matchFunding.values(draft, call);
    expect(values).to.include({ 'matchFunding-1-kind': 'in_kind', 'matchFunding-0-amountPence': '400,000.00' });
    const { part, problems } = readForm(matchFunding, values);
    expect(problems).to.deep.equal([]);
    expect(part).to.deep.equal(owned(matchFunding, draft));
  });

  it('clears the list when every row is blank', () => {
    expect(readForm(matchFunding, { 'matchFunding-0-funder': ' ' }).part).to.deep.equal({ matchFunding: undefined });
  });

  it("offers the bid's files as evidence, and the saved draft's lines for an upload to link to", () => {
    const letter = { id: 'file-1', filename: 'council-letter.pdf' } as AttachmentRow;
    const view = matchFunding.view(
      call,
      { values: { 'matchFunding-0-evidenceAttachmentId': 'file-1' }, errors: {}, extraRows: 1 },
      { ...context, attachments: [letter] },
    ) as {
      matchFunding: { evidenceAttachmentId: { options: { value: string; text: string; selected?: boolean }[] } }[];
      evidenceLines: { value: string; text: string }[];
    };
    expect(view.matchFunding).to.have.length(2);
    expect(view.matchFunding[0].evidenceAttachmentId.options.find((o) => o.value === 'file-1')).to.include({
      text: 'council-letter.pdf',
      selected: true,
    });
    expect(view.evidenceLines.map((o) => o.text).slice(-2)).to.deep.equal([
      'Line 1: Derby City Council',
      'Line 2: Volunteer time',
    ]);
  });
});

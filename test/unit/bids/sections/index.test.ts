import { expect } from 'chai';
import {
  findSection,
  sectionFor,
  sectionOfPointer,
  SECTIONS,
  withSection,
} from '../../../../server/bids/sections/index.ts';
import { draft } from './support.ts';

describe('the sections of a bid', () => {
  it("come in the task list's order, each top-level field owned by exactly one", () => {
    expect(SECTIONS.map((s) => s.key)).to.deep.equal([
      'details',
      'partners',
      'budget',
      'match-funding',
      'targets',
      'gap-claims',
      'narratives',
      'documents',
    ]);
    const owned = SECTIONS.flatMap((s) => s.owns);
    expect(new Set(owned).size).to.equal(owned.length);
    expect([...owned].sort()).to.deep.equal(Object.keys(draft).sort());
  });

  it('are found by key, and a pointer by the section owning its top-level field', () => {
    expect(sectionFor('budget').title).to.equal('Priorities and budget');
    expect(findSection('nothing')).to.equal(undefined);
    expect(sectionOfPointer('/narrative/need')).to.equal('narratives');
    expect(sectionOfPointer('/matchFunding/0/evidenceAttachmentId')).to.equal('match-funding');
    expect(sectionOfPointer('/unknown')).to.equal('details');
  });

  it("replace one section's fields in the draft, leaving cleared fields out", () => {
    const next = withSection(draft, { gapClaims: undefined, title: 'New' });
    expect(next).to.not.have.property('gapClaims');
    expect(next).to.include({ title: 'New', summary: draft.summary });
  });
});

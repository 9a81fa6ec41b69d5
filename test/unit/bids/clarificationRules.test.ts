import { expect } from 'chai';
import {
  answeredAttachments,
  answeredFields,
  changesBetween,
  clarificationStatus,
  fieldsOutsideSections,
  openFields,
} from '../../../server/bids/clarificationRules.ts';
import { clarificationRefusal, refuseUploadAfterDeadline } from '../../../server/bids/deadlineLock.ts';

const file = (id: string) => ({
  id,
  filename: `${id}.pdf`,
  contentType: 'application/pdf',
  purpose: 'supporting',
  sizeBytes: 10,
  sha256: 'a'.repeat(64),
});

describe('clarification rules', () => {
  it("opens the fields the named sections own, as the API's table says", () => {
    expect([...openFields(['details'])]).to.deep.equal(['title', 'summary', 'startDate', 'endDate', 'geography']);
    expect([...openFields(['budget', 'targets', 'narratives'])]).to.deep.equal([
      'priorities',
      'totalEligibleCostPence',
      'outputTargets',
      'resultTargets',
      'narrative',
    ]);
    expect([...openFields(['documents'])]).to.deep.equal([]);
  });

  it('names each changed field outside the sections by its path', () => {
    expect(fieldsOutsideSections({ matchFunding: [], title: 'x' }, ['match-funding'])).to.deep.equal([
      { path: '/changes/title', message: 'title is not in the sections the clarification asked about (match-funding)' },
    ]);
    expect(fieldsOutsideSections({ partners: [] }, ['partners'])).to.deep.equal([]);
  });

  it('replaces the changed fields of the appraised version, and clears one given as null', () => {
    expect(answeredFields({ title: 'A', summary: 'S' }, { title: 'B', summary: null })).to.deep.equal({ title: 'B' });
  });

  it("takes files uploaded for a documents question, and otherwise only the answer's evidence letters", () => {
    const kept = [file('a')];
    const uploaded = [file('b'), file('c')];
    expect(answeredAttachments(kept, uploaded, ['documents'], {}).map((f) => f.id)).to.deep.equal(['a', 'b', 'c']);
    const fields = {
      matchFunding: [
        {
          funder: 'F',
          sector: 'public' as const,
          kind: 'cash' as const,
          amountPence: 1,
          status: 'secured' as const,
          evidenceAttachmentId: 'c',
        },
      ],
    };
    expect(answeredAttachments(kept, uploaded, ['match-funding'], fields).map((f) => f.id)).to.deep.equal(['a', 'c']);
  });

  it('is open up to and including the reply-by instant, lapsed a millisecond after, answered once answered', () => {
    const respondBy = new Date('2027-03-01T12:00:00.000Z');
    expect(clarificationStatus({ answeredAt: null, respondBy }, respondBy)).to.equal('open');
    expect(clarificationStatus({ answeredAt: null, respondBy }, new Date(respondBy.getTime() + 1))).to.equal('lapsed');
    expect(clarificationStatus({ answeredAt: respondBy, respondBy }, new Date(respondBy.getTime() + 1))).to.equal(
      'answered',
    );
    expect(clarificationRefusal({ answeredAt: null, respondBy }, respondBy)).to.equal(undefined);
    expect(clarificationRefusal({ answeredAt: null, respondBy }, new Date(respondBy.getTime() + 1))).to.match(
      /^The reply was due by 1 March 2027 at 12:00pm \(UK time\)/,
    );
  });

  it('lets an upload through after the deadline only for an open clarification', () => {
    const call = {
      stage: 'open' as const,
      opensAt: new Date('2027-01-01T00:00:00Z'),
      closesAt: new Date('2027-02-01T00:00:00Z'),
    };
    const after = new Date('2027-02-02T00:00:00Z');
    expect(() => refuseUploadAfterDeadline(call, after, undefined)).to.throw(/the bid can no longer be changed/);
    expect(() =>
      refuseUploadAfterDeadline(call, after, { answeredAt: null, respondBy: new Date('2027-02-03T00:00:00Z') }),
    ).not.to.throw();
    expect(() =>
      refuseUploadAfterDeadline(call, after, { answeredAt: null, respondBy: new Date('2027-02-01T12:00:00Z') }),
    ).to.throw(/the bid can no longer be changed/);
  });

  it('lists what changed leaf by leaf, as JSON Pointers, with the whole of an added or removed item', () => {
    expect(
      changesBetween(
        { a: 1, list: [{ x: 1 }], 'b/c': 'same', gone: true },
        { a: 2, list: [{ x: 1 }, { x: 2 }], 'b/c': 'same' },
      ),
    ).to.deep.equal([
      { path: '/a', before: 1, after: 2 },
      { path: '/gone', before: true, after: null },
      { path: '/list/1', before: null, after: { x: 2 } },
    ]);
    expect(changesBetween({ 'b/c~': 1 }, { 'b/c~': 2 })).to.deep.equal([{ path: '/b~1c~0', before: 1, after: 2 }]);
  });
});

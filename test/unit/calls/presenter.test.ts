import { expect } from 'chai';
import { presentPublishedCallJson } from '../../../server/calls/presenter.ts';

describe('presentPublishedCallJson', () => {
  const row = {
    id: '6f1c1d1e-0000-4000-8000-000000000001',
    funderId: '6f1c1d1e-0000-4000-8000-000000000002',
    stage: 'open' as const,
    opensAt: new Date('2017-02-01T09:00:00Z'),
    closesAt: new Date('2017-03-20T12:00:00Z'),
  };

  it("puts the answer's own keys first and the stored fields after them", () => {
    const text = presentPublishedCallJson(
      { ...row, fieldsJson: '{"title": "Health", "priorities": []}' },
      new Date('2017-03-01T00:00:00Z'),
    );
    expect(JSON.parse(text)).to.deep.equal({
      id: row.id,
      status: 'open',
      funderId: row.funderId,
      opensAt: '2017-02-01T09:00:00.000Z',
      closesAt: '2017-03-20T12:00:00.000Z',
      title: 'Health',
      priorities: [],
    });
  });

  it('reads the status against the clock: closed a millisecond after the deadline', () => {
    const after = new Date(row.closesAt.getTime() + 1);
    expect(JSON.parse(presentPublishedCallJson({ ...row, fieldsJson: '{"title": "Health"}' }, after)).status).to.equal(
      'closed',
    );
    expect(
      JSON.parse(presentPublishedCallJson({ ...row, fieldsJson: '{"title": "Health"}' }, row.closesAt)).status,
    ).to.equal('open');
  });

  it('writes valid JSON when no stored field is left', () => {
    expect(Object.keys(JSON.parse(presentPublishedCallJson({ ...row, fieldsJson: '{}' }, row.opensAt)))).to.deep.equal([
      'id',
      'status',
      'funderId',
      'opensAt',
      'closesAt',
    ]);
  });
});

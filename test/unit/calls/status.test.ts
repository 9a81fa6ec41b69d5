import { expect } from 'chai';
import { callStatus } from '../../../server/calls/status.ts';

describe('call status read from the clock', () => {
  const closesAt = new Date('2027-02-06T23:59:59Z');

  it('is open one second before the deadline and at the deadline itself', () => {
    expect(callStatus('open', closesAt, new Date('2027-02-06T23:59:58Z'))).to.equal('open');
    expect(callStatus('open', closesAt, closesAt)).to.equal('open');
  });

  it('reads as closed one second (and one millisecond) after the deadline with nothing having to run', () => {
    expect(callStatus('open', closesAt, new Date('2027-02-07T00:00:00Z'))).to.equal('closed');
    expect(callStatus('open', closesAt, new Date(closesAt.getTime() + 1))).to.equal('closed');
  });

  it('leaves drafts and later stages as they are', () => {
    expect(callStatus('draft', closesAt, new Date('2030-01-01Z'))).to.equal('draft');
    expect(callStatus('appraisal', closesAt, new Date('2030-01-01Z'))).to.equal('appraisal');
  });
});

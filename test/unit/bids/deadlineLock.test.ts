import { expect } from 'chai';
import {
  deadlineRefusal,
  joinRefusal,
  refuseAfterDeadline,
  refuseJoinAfterDeadline,
  takesChanges,
} from '../../../server/bids/deadlineLock.ts';
import { Conflict } from '../../../server/errors.ts';

describe('the deadline lock on a bid', () => {
  const opensAt = new Date('2026-12-01T00:00:00Z');
  const closesAt = new Date('2027-02-06T23:59:59Z');
  const open = { stage: 'open' as const, opensAt, closesAt };
  const after = new Date(closesAt.getTime() + 1);

  it('lets a partner join a bid up to the deadline itself, and refuses it a millisecond after, saying why', () => {
    expect(joinRefusal(open, { status: 'draft' }, closesAt)).to.equal(undefined);
    expect(joinRefusal(open, { status: 'submitted' }, closesAt)).to.equal(undefined);
    expect(joinRefusal(open, { status: 'draft' }, after)).to.equal(
      'The call closed on 6 February 2027 at 11:59pm (UK time), so the bid can no longer be joined: ' +
        'the invitation cannot be accepted, and nothing was changed',
    );
    expect(joinRefusal({ ...open, stage: 'closed' }, { status: 'draft' }, opensAt)).to.match(/can no longer be joined/);
    expect(() => refuseJoinAfterDeadline(open, { status: 'submitted' }, after)).to.throw(Conflict);
  });

  it('refuses joining a bid that has had its decision', () => {
    for (const status of ['approved', 'approved_with_conditions', 'rejected'])
      expect(joinRefusal(open, { status }, opensAt)).to.equal(
        'The bid has had its decision, so it can no longer be joined',
      );
  });

  it('lets changes through up to the deadline itself, and before the call opens', () => {
    expect(deadlineRefusal(open, closesAt)).to.equal(undefined);
    expect(deadlineRefusal(open, new Date(opensAt.getTime() - 1000))).to.equal(undefined);
  });

  it('locks a change one millisecond after the deadline, saying when the call closed', () => {
    expect(deadlineRefusal(open, after)).to.equal(
      'The call closed on 6 February 2027 at 11:59pm (UK time); the bid can no longer be changed',
    );
  });

  it('locks a change on a call closed early or moved on to appraisal, whatever the clock says', () => {
    expect(deadlineRefusal({ ...open, stage: 'closed' }, opensAt)).to.match(/the bid can no longer be changed$/);
    expect(deadlineRefusal({ ...open, stage: 'appraisal' }, opensAt)).to.match(/the bid can no longer be changed$/);
  });

  it('takes submissions from opening to the deadline inclusive, not before or after', () => {
    const early = new Date(opensAt.getTime() - 1000);
    expect(deadlineRefusal(open, early, 'submit')).to.equal(
      'The call opens for submissions on 1 December 2026 at 12:00am',
    );
    expect(deadlineRefusal(open, opensAt, 'submit')).to.equal(undefined);
    expect(deadlineRefusal(open, closesAt, 'submit')).to.equal(undefined);
    expect(deadlineRefusal(open, after, 'submit')).to.equal(
      'The call closed on 6 February 2027 at 11:59pm (UK time); submissions are no longer accepted',
    );
    const closedEarly = { ...open, stage: 'closed' as const };
    expect(deadlineRefusal(closedEarly, opensAt, 'submit')).to.match(/submissions are no longer accepted$/);
  });

  it('refuses a submission that completes after the deadline, though it began before', () => {
    expect(deadlineRefusal(open, closesAt, 'complete')).to.equal(undefined);
    expect(deadlineRefusal(open, after, 'complete')).to.equal(
      'The call closed on 6 February 2027 at 11:59pm (UK time) before the submission completed; nothing was submitted',
    );
  });

  it('throws a 409 Conflict with the refusal, and nothing when the lock lets the write through', () => {
    expect(() => refuseAfterDeadline(open, after)).to.throw(Conflict, 'the bid can no longer be changed');
    expect(() => refuseAfterDeadline(open, closesAt)).not.to.throw();
  });

  it('takes changes only while the call is open', () => {
    expect(takesChanges('open')).to.equal(true);
    for (const status of ['draft', 'closed', 'appraisal', 'decided'] as const)
      expect(takesChanges(status), status).to.equal(false);
  });
});

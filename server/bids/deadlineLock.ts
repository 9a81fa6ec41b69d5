/**
 * The deadline lock: a bid changes only while its call takes bids. Every writer asks here, and hears the same
 * words: an edit, an upload or removal, a withdrawal and a template import ('change'); a submission, which
 * also waits for the call to open ('submit'); and a submission's last check before it commits ('complete').
 */
import { callStatus } from '../calls/status.ts';
import type { CallStatus } from '../calls/types.ts';
import { Conflict } from '../errors.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';

export type BidWrite = 'change' | 'submit' | 'complete';

interface LockedCall {
  stage: CallStatus;
  opensAt: Date;
  closesAt: Date;
}

/** Whether a call at `status` (callStatus) takes changes to its bids: only while it is open. */
export function takesChanges(status: CallStatus): boolean {
  return status === 'open';
}

/** Why `write` to a bid of `call` is refused at `at`, or undefined when the lock lets it through. */
export function deadlineRefusal(call: LockedCall, at: Date, write: BidWrite = 'change'): string | undefined {
  const deadline = `${formatLondonDateTime(call.closesAt)} (UK time)`;
  if (write === 'complete')
    return at.getTime() > call.closesAt.getTime()
      ? `The call closed on ${deadline} before the submission completed; nothing was submitted`
      : undefined;
  if (write === 'submit' && at.getTime() < call.opensAt.getTime())
    return `The call opens for submissions on ${formatLondonDateTime(call.opensAt)}`;
  if (takesChanges(callStatus(call.stage, call.closesAt, at))) return undefined;
  return write === 'submit'
    ? `The call closed on ${deadline}; submissions are no longer accepted`
    : `The call closed on ${deadline}; the bid can no longer be changed`;
}

/** Refuses (409) a write to a bid of `call` that the deadline lock does not let through at `at`. */
export function refuseAfterDeadline(call: LockedCall, at: Date, write: BidWrite = 'change'): void {
  const refusal = deadlineRefusal(call, at, write);
  if (refusal) throw new Conflict(refusal);
}

/**
 * The deadline lock: a bid changes only while its call takes bids. Every writer asks here, and hears the same
 * words: an edit, an upload or removal, a withdrawal and a template import ('change'); a submission, which
 * also waits for the call to open ('submit'); and a submission's last check before it commits ('complete'). Joining
 * a bid as its delivery partner (accepting an invitation) is a change to it too (`joinRefusal`).
 */
import { callStatus } from '../calls/status.ts';
import type { CallStatus } from '../calls/types.ts';
import { Conflict } from '../errors.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { isDecided } from './status.ts';

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

/**
 * Why accepting an invitation to be a bid's delivery partner is refused at `at`, or undefined when the lock lets it
 * through: a partner joins only while the bid can change, so never after its call closed or its decision.
 */
export function joinRefusal(call: LockedCall, bid: { status: string }, at: Date): string | undefined {
  if (isDecided(bid)) return 'The bid has had its decision, so it can no longer be joined';
  if (takesChanges(callStatus(call.stage, call.closesAt, at))) return undefined;
  return (
    `The call closed on ${formatLondonDateTime(call.closesAt)} (UK time), so the bid can no longer be joined: ` +
    'the invitation cannot be accepted, and nothing was changed'
  );
}

/** Refuses (409) joining a bid as its partner when the deadline lock does not let it through at `at`. */
export function refuseJoinAfterDeadline(call: LockedCall, bid: { status: string }, at: Date): void {
  const refusal = joinRefusal(call, bid, at);
  if (refusal) throw new Conflict(refusal);
}

/** What the deadline lock reads of a clarification: when its answer is due, and whether it has one. */
interface LockedClarification {
  respondBy: Date;
  answeredAt: Date | null;
}

/**
 * Why an answer to a clarification (or a file uploaded for it) is refused at `at`, or undefined when the lock
 * lets it through: after the deadline a bid changes only through an unanswered clarification, up to and
 * including its reply-by instant by the server clock.
 */
export function clarificationRefusal(clarification: LockedClarification, at: Date): string | undefined {
  if (clarification.answeredAt) return 'The clarification has been answered; its answer is a version of the bid';
  if (at.getTime() > clarification.respondBy.getTime())
    return `The reply was due by ${formatLondonDateTime(clarification.respondBy)} (UK time); nothing was changed`;
  return undefined;
}

/** Refuses (409) an answer to a clarification that the lock does not let through at `at`. */
export function refuseClarificationAnswer(clarification: LockedClarification, at: Date): void {
  const refusal = clarificationRefusal(clarification, at);
  if (refusal) throw new Conflict(refusal);
}

/**
 * Refuses (409) an upload to a bid of `call` at `at`: allowed while the call takes changes, and after the deadline
 * while `open` (the bid's unanswered clarification naming its documents or match funding, if any) awaits its reply.
 */
export function refuseUploadAfterDeadline(call: LockedCall, at: Date, open: LockedClarification | undefined): void {
  const refusal = deadlineRefusal(call, at);
  if (!refusal) return;
  if (open && !clarificationRefusal(open, at)) return;
  throw new Conflict(refusal);
}

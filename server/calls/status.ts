/** A call's status is its stored stage read against the clock: nothing has to run at the deadline. */
import type { CallStatus } from './types.ts';

/** The status a call has at `now`: an open call whose deadline has passed reads as closed. */
export function callStatus(stage: CallStatus, closesAt: Date, now: Date): CallStatus {
  if (stage === 'open' && now.getTime() > closesAt.getTime()) return 'closed';
  return stage;
}

/** Whether bids may be submitted at `now`: published, opened, and at or before the deadline. */
export function acceptsSubmissions(stage: CallStatus, opensAt: Date, closesAt: Date, now: Date): boolean {
  return stage === 'open' && now.getTime() >= opensAt.getTime() && now.getTime() <= closesAt.getTime();
}

/** A call's status is its stored stage read against the clock: nothing has to run at the deadline. */
import type { CallStatus } from './types.ts';

/** The status a call has at `now`: an open call whose deadline has passed reads as closed. */
export function callStatus(stage: CallStatus, closesAt: Date, now: Date): CallStatus {
  if (stage === 'open' && now.getTime() > closesAt.getTime()) return 'closed';
  return stage;
}

/** The officer's call dashboard, pure: the links a call's status allows, the live counts and ESF by priority. */
import type { BidFields } from '../bids/types.ts';
import type { Call, Priority } from '../calls/types.ts';
import { submittedByDeadline } from '../bids/status.ts';

/** Links the officer may follow from a call, by what its status allows. */
export function callLinks(call: Pick<Call, 'id' | 'status'>) {
  const appraising = call.status === 'appraisal' || call.status === 'decided';
  return {
    edit: call.status === 'draft',
    panel: call.status === 'closed' || call.status === 'appraisal',
    appraisal: appraising,
    // Decisions are the service's to allow once the call has closed, panel or not (a call whose bids all failed
    // the gateway needs no panel to be decided).
    decisions: appraising || call.status === 'closed',
    openData: call.status === 'decided',
  };
}

interface BidLine {
  status: string;
  gatewayPassed: boolean | undefined;
  fields: BidFields | undefined;
  scored: boolean;
}

/** The live counts: bids started, submitted (and not withdrawn), through the gateway, and fully scored. */
export function dashboardCounts(bids: BidLine[]) {
  const submitted = bids.filter(submittedByDeadline);
  return {
    started: bids.length,
    submitted: submitted.length,
    passedGateway: submitted.filter((b) => b.gatewayPassed).length,
    scored: bids.filter((b) => b.scored).length,
  };
}

/** ESF the submitted bids ask of each priority (from their submitted versions), against its allocation. */
export function esfByPriority(priorities: Pick<Priority, 'code' | 'title' | 'allocationPence'>[], bids: BidLine[]) {
  return priorities.map((p) => ({
    code: p.code,
    title: p.title,
    allocationPence: p.allocationPence,
    requestedPence: bids
      .filter(submittedByDeadline)
      .reduce(
        (sum, b) =>
          sum + (b.fields?.priorities ?? []).filter((bp) => bp.code === p.code).reduce((s, bp) => s + bp.esfPence, 0),
        0,
      ),
  }));
}

/** Stored call rows → the call as the API and pages show it. Pure. */
import type { CallRow } from '../models/calls.ts';
import type { PublishedCall } from './repository.ts';
import { callStatus } from './status.ts';
import type { Call, CallFields } from './types.ts';

/** The officer-editable fields of a stored call, as they were written. */
export function callFields(row: CallRow): CallFields {
  return {
    reference: row.reference,
    title: row.title,
    lepArea: row.lepArea,
    description: row.description,
    opensAt: row.opensAt.toISOString(),
    closesAt: row.closesAt.toISOString(),
    interventionRatePercent: row.interventionRatePercent,
    minProjectEsfPence: row.minProjectEsfPence,
    geography: row.geography,
    eligibleActivities: row.eligibleActivities,
    priorities: (row.priorities ?? []).map((p) => ({
      code: p.code,
      title: p.title,
      allocationPence: p.allocationPence,
      participantIndicators: p.participantIndicators,
      resultIndicators: p.resultIndicators,
    })),
    gapCriteria: (row.gapCriteria ?? []).map((g) => ({ code: g.code, title: g.title, guidance: g.guidance, weight: g.weight })),
    appraisalCriteria: (row.appraisalCriteria ?? []).map((a) => ({
      code: a.code,
      title: a.title,
      guidance: a.guidance,
      weight: a.weight,
      minimumScore: a.minimumScore,
    })),
  };
}

/** The call as services use it, its status read against the clock. */
export function toCall(row: CallRow, now: Date): Call {
  return {
    ...callFields(row),
    id: row.id,
    funderId: row.funderId,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    status: callStatus(row.stage, row.closesAt, now),
  };
}

/** A published call read from its row alone (findPublishedCall) as services use it: the same as toCall gives. */
export function toPublishedCall(published: PublishedCall, now: Date): Call {
  return {
    ...published.fields,
    id: published.id,
    funderId: published.funderId,
    opensAt: published.opensAt,
    closesAt: published.closesAt,
    status: callStatus(published.stage, published.closesAt, now),
  };
}

/** The call as the API sends it. */
export function presentCall(call: Call, extra: Record<string, unknown> = {}) {
  const { id, status, ...fields } = call;
  return {
    id,
    status,
    ...fields,
    opensAt: call.opensAt.toISOString(),
    closesAt: call.closesAt.toISOString(),
    ...extra,
  };
}

/** Stored call rows → the call as the API and pages show it. Pure. */
import type { CallRow } from '../models/calls.ts';
import type { ANSWER_OWN_KEYS, PublishedCall, PublishedCallText } from './repository.ts';
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
    gapCriteria: (row.gapCriteria ?? []).map((g) => ({
      code: g.code,
      title: g.title,
      guidance: g.guidance,
      weight: g.weight,
    })),
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

/** A published call from its row and its fields as published, as services use it: the same as toCall gives. */
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

/** A published call read with its fields as text (findPublishedCallText) as services use it: toPublishedCall's call. */
export function publishedCallFromText(published: PublishedCallText, now: Date): Call {
  const { fieldsJson, ...row } = published;
  return toPublishedCall({ ...row, fields: JSON.parse(fieldsJson) as CallFields }, now);
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

/**
 * A published call as the API sends it (presentCall of toPublishedCall), written as JSON text: the answer's own
 * keys from the row and the clock, then the fields as PostgreSQL keeps them, which never hold those keys
 * (findPublishedCallText leaves them out). Parsing the stored JSON only to serialise it again was a fifth of
 * the call API's CPU (found by `npm run bench`); a test holds this answer to presentCall's.
 */
export function presentPublishedCallJson(published: PublishedCallText, now: Date): string {
  const own: Record<(typeof ANSWER_OWN_KEYS)[number], string> = {
    id: published.id,
    status: callStatus(published.stage, published.closesAt, now),
    funderId: published.funderId,
    opensAt: published.opensAt.toISOString(),
    closesAt: published.closesAt.toISOString(),
  };
  const head = JSON.stringify(own);
  const fields = published.fieldsJson;
  return fields === '{}' ? head : `${head.slice(0, -1)},${fields.slice(1)}`;
}

/** Queries for calls and the indicator catalogue. */
import type { Knex } from 'knex';
import type { AnyQueryBuilder } from 'objection';
import {
  CallAppraisalCriterionRow,
  CallGapCriterionRow,
  CallPriorityRow,
  CallRow,
  IndicatorRow,
} from '../models/calls.ts';
import type { CallFields, CallStatus, Indicator } from './types.ts';

const CHILDREN = '[priorities(ordered), gapCriteria(ordered), appraisalCriteria(ordered)]';
const modifiers = { ordered: (query: AnyQueryBuilder) => query.orderBy('position') };

/** The indicator catalogue in its published order. */
export async function loadIndicators(knex: Knex): Promise<Indicator[]> {
  const rows = await IndicatorRow.query(knex).orderBy('position');
  return rows.map(({ code, kind, title, baseCohort }) => ({ code, kind, title, baseCohort }));
}

/** One call with its priorities and criteria, optionally locked for the rest of the transaction. */
export async function findCall(
  knex: Knex | Knex.Transaction,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CallRow | undefined> {
  if (!isUuid(id)) return undefined;
  const query = CallRow.query(knex).findById(id);
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  if (!row) return undefined;
  // One after another: a transaction has one connection, and pg will not queue parallel queries on it.
  row.priorities = await CallPriorityRow.query(knex).where('callId', id).orderBy('position');
  row.gapCriteria = await CallGapCriterionRow.query(knex).where('callId', id).orderBy('position');
  row.appraisalCriteria = await CallAppraisalCriterionRow.query(knex).where('callId', id).orderBy('position');
  return row;
}

/** Calls in the given stages, plus every stage for one funder's own calls (its officers see their drafts). */
export async function listCalls(knex: Knex, options: { ownFunderId?: string }): Promise<CallRow[]> {
  return CallRow.query(knex)
    .withGraphFetched(CHILDREN)
    .modifiers(modifiers)
    .where((query) => {
      query.whereNot('stage', 'draft');
      if (options.ownFunderId) query.orWhere('funderId', options.ownFunderId);
    })
    .orderBy([{ column: 'closesAt', order: 'asc' }, { column: 'reference' }]);
}

function scalarColumns(fields: CallFields) {
  return {
    reference: fields.reference,
    title: fields.title,
    lepArea: fields.lepArea,
    description: fields.description,
    opensAt: new Date(fields.opensAt),
    closesAt: new Date(fields.closesAt),
    interventionRatePercent: fields.interventionRatePercent,
    minProjectEsfPence: fields.minProjectEsfPence,
    geography: fields.geography,
    eligibleActivities: fields.eligibleActivities,
  };
}

async function insertChildren(trx: Knex.Transaction, callId: string, fields: CallFields): Promise<void> {
  if (fields.priorities.length > 0)
    await CallPriorityRow.query(trx).insert(
      fields.priorities.map((priority, position) => ({ ...priority, callId, position })),
    );
  if (fields.gapCriteria.length > 0)
    await CallGapCriterionRow.query(trx).insert(
      fields.gapCriteria.map((criterion, position) => ({ ...criterion, callId, position })),
    );
  if (fields.appraisalCriteria.length > 0)
    await CallAppraisalCriterionRow.query(trx).insert(
      fields.appraisalCriteria.map((criterion, position) => ({ ...criterion, callId, position })),
    );
}

/** Stores a new draft call with everything in it; answers its id. */
export async function insertCall(trx: Knex.Transaction, funderId: string, fields: CallFields): Promise<string> {
  const row = await CallRow.query(trx).insert({ ...scalarColumns(fields), funderId, stage: 'draft' });
  await insertChildren(trx, row.id, fields);
  return row.id;
}

/** Replaces every field of a draft call, children included. */
export async function replaceCall(trx: Knex.Transaction, id: string, fields: CallFields): Promise<void> {
  await CallRow.query(trx).findById(id).patch(scalarColumns(fields));
  await CallPriorityRow.query(trx).where('callId', id).delete();
  await CallGapCriterionRow.query(trx).where('callId', id).delete();
  await CallAppraisalCriterionRow.query(trx).where('callId', id).delete();
  await insertChildren(trx, id, fields);
}

/** Moves a call to a stage, with any columns that go with the move. */
export async function setStage(
  trx: Knex.Transaction,
  id: string,
  stage: CallStatus,
  extra: Partial<Pick<CallRow, 'publishedAt' | 'closesAt' | 'scheduledClosesAt'>> = {},
): Promise<void> {
  await CallRow.query(trx).findById(id).patch({ stage, ...extra });
}

/** Whether a string can be a row id (anything else is simply not found). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

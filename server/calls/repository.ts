/** Queries for calls and the indicator catalogue. */
import type { Knex } from 'knex';
import { snakeCaseMappers, type AnyQueryBuilder } from 'objection';
import { preparedAs } from '../db/prepared.ts';
import {
  CallAppraisalCriterionRow,
  CallGapCriterionRow,
  CallPriorityRow,
  CallRow,
  IndicatorRow,
} from '../models/calls.ts';
import type { CallFields, CallStatus, Indicator } from './types.ts';

const CHILDREN = '[priorities(ordered), gapCriteria(ordered), appraisalCriteria(ordered)]';

/** A call's children in one table as a JSON array in their order, for reading within the call's own query. */
const CHILD_TABLES = [
  ['call_priorities', 'priorities_json'],
  ['call_gap_criteria', 'gap_criteria_json'],
  ['call_appraisal_criteria', 'appraisal_criteria_json'],
] as const;
const childrenAsJson = (table: string) =>
  `coalesce((select json_agg(c order by c.position) from ${table} c where c.call_id = calls.id), '[]')`;
// json_agg keeps the database's snake_case names; the models have camelCase properties, as knex maps them.
const { parse: columnsToProperties } = snakeCaseMappers();
const modifiers = { ordered: (query: AnyQueryBuilder) => query.orderBy('position') };

// The catalogue is reference data that only a migration changes, so each connection pool reads it once.
const catalogues = new WeakMap<Knex, Promise<Indicator[]>>();

/** The indicator catalogue in its published order. */
export async function loadIndicators(knex: Knex): Promise<Indicator[]> {
  let catalogue = catalogues.get(knex);
  if (!catalogue) {
    catalogue = IndicatorRow.query(knex)
      .orderBy('position')
      .then((rows) => rows.map(({ code, kind, title, baseCohort }) => ({ code, kind, title, baseCohort })));
    // A failed read (the database down) is not remembered: the next call tries again.
    catalogue.catch(() => catalogues.delete(knex));
    catalogues.set(knex, catalogue);
  }
  return catalogue;
}

/** One call with its priorities and criteria, optionally locked for the rest of the transaction. */
export async function findCall(
  knex: Knex | Knex.Transaction,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<CallRow | undefined> {
  if (!isUuid(id)) return undefined;
  // One round trip, children included: every bid request reads its call (a submission three times), and one
  // query per child table made these reads most of a submission's round trips (found by `npm run bench`).
  const query = CallRow.query(knex)
    .findById(id)
    .select('calls.*', ...CHILD_TABLES.map(([table, alias]) => knex.raw(`${childrenAsJson(table)} as ${alias}`)));
  if (options.forUpdate) query.forUpdate();
  const row = await query;
  if (!row) return undefined;
  const json = row as unknown as Record<string, Record<string, unknown>[]>;
  row.priorities = json.prioritiesJson.map((child) => CallPriorityRow.fromDatabaseJson(columnsToProperties(child)));
  row.gapCriteria = json.gapCriteriaJson.map((child) =>
    CallGapCriterionRow.fromDatabaseJson(columnsToProperties(child)),
  );
  row.appraisalCriteria = json.appraisalCriteriaJson.map((child) =>
    CallAppraisalCriterionRow.fromDatabaseJson(columnsToProperties(child)),
  );
  for (const property of ['prioritiesJson', 'gapCriteriaJson', 'appraisalCriteriaJson']) delete json[property];
  return row;
}

/** A published call as its public page and the API show it, read from one row. */
export interface PublishedCall {
  id: string;
  funderId: string;
  stage: CallStatus;
  opensAt: Date;
  closesAt: Date;
  fields: CallFields;
}

/** The keys a published call's API answer takes from its row and the clock, never from its stored fields. */
export const ANSWER_OWN_KEYS = ['id', 'status', 'funderId', 'opensAt', 'closesAt'] as const;

/** A published call with its stored fields as JSON text, less the answer's own keys (ANSWER_OWN_KEYS). */
export interface PublishedCallText extends Omit<PublishedCall, 'fields'> {
  fieldsJson: string;
}

/**
 * A published call's row for anyone to read: the busiest read of a round (every anonymous page and API answer),
 * so a primary-key lookup with no child tables, written out rather than built with knex (building it on every
 * read was about 4% of the call API's CPU), and a prepared statement. Its fields come as the JSON text
 * PostgreSQL keeps, less the answer's own keys: the API writes them out as they are (presentPublishedCallJson)
 * and the page compares them whole (publicPageInput); whoever needs the object parses them
 * (publishedCallFromText). The aliases give the row in the model's names, as the column mappers would.
 */
const PUBLISHED_CALL_TEXT = `select id, funder_id as "funderId", stage, opens_at as "opensAt", closes_at as "closesAt",
  (published_fields - array[${ANSWER_OWN_KEYS.map((key) => `'${key}'`).join(', ')}])::text as "fieldsJson"
  from calls where id = ? and published_fields is not null`;

/** A published call with its fields as stored JSON text; undefined for a draft, an unknown id or one that is not one. */
export async function findPublishedCallText(knex: Knex, id: string): Promise<PublishedCallText | undefined> {
  if (!isUuid(id)) return undefined;
  const result = await knex.raw(PUBLISHED_CALL_TEXT, [id]).options(preparedAs('calls.published-text'));
  return (result as { rows: PublishedCallText[] }).rows[0];
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
  extra: Partial<Pick<CallRow, 'publishedAt' | 'publishedFields' | 'closesAt' | 'scheduledClosesAt'>> = {},
): Promise<void> {
  await CallRow.query(trx)
    .findById(id)
    .patch({ stage, ...extra });
}

/** Whether a string can be a row id (anything else is simply not found). */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * `column = any($1::uuid[])`: a list of ids sent as one parameter, a PostgreSQL array, instead of knex's `in (?, ?,
 * …)` of one parameter each. For the thousands of a call's bids, the long list was built by knex, bound, sent and
 * parsed parameter by parameter on every read of the appraisal (found by `npm run bench`); the array is one value.
 */
import type { Knex } from 'knex';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids as one PostgreSQL array literal; only ids (as the database makes them) are accepted. */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) if (!UUID.test(id)) throw new Error(`Not an id: ${JSON.stringify(id)}`);
  return `{${ids.join(',')}}`;
}

interface Filterable<Q> {
  whereRaw(sql: string, bindings: readonly Knex.RawBinding[]): Q;
}

/** Keeps the rows whose `column` (as knex names columns: `h.bidId`) is one of `ids`. */
export function whereIdIn<Q extends Filterable<Q>>(query: Q, column: string, ids: readonly string[]): Q {
  return query.whereRaw('?? = any(?::uuid[])', [column, uuidArray(ids)]);
}

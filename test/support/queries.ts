/** Watching what a request asks of the database, through knex's own 'query' event. */
import type { Knex } from 'knex';

/** The SQL of every query `knex` runs while `act` runs (the app under test shares the test's pool). */
export async function queriesDuring(knex: Knex, act: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (query: { sql: string }) => seen.push(query.sql);
  knex.on('query', listener);
  try {
    await act();
  } finally {
    knex.off('query', listener);
  }
  return seen;
}

/** How many of the queries read `table` as their main table (`from "table"`), joins not counted. */
export function readsOf(queries: string[], table: string): number {
  return queries.filter((sql) => new RegExp(`\\bfrom "${table}"`, 'i').test(sql)).length;
}

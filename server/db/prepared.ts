/** Named prepared statements for the queries the busiest requests run. */

/**
 * knex options that run a query as a named prepared statement: PostgreSQL parses and plans it once on each
 * connection instead of on every run. For the few queries on the busiest requests (a submission, a call's page
 * and API): planning was a large share of PostgreSQL's time on a submission (found by `npm run bench` with
 * pg_stat_statements). A name must stand for one SQL text only (pg refuses a second text under a name), so only
 * queries whose text never varies get one, named "<table>.<what it reads or writes>".
 */
export function preparedAs(name: string): { name: string } {
  return { name };
}

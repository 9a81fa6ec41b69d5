/** The run's test database, shared by every test file. */
import type { Knex } from 'knex';

let current: { url: string; knex: Knex } | undefined;

/** Records the database test/setup.ts started. */
export function setTestDatabase(url: string, knex: Knex): void {
  current = { url, knex };
}

/** The database of this run (started by test/setup.ts). */
export function testDatabase(): { url: string; knex: Knex } {
  if (!current) throw new Error('The test database is not started: run tests with --file test/setup.ts');
  return current;
}

// Reference data shipped by migrations survives; everything people make is removed.
const KEEP = new Set(['indicators', 'knex_migrations', 'knex_migrations_lock']);

/** Empties every table but the reference data, so each test starts from nothing. */
export async function truncateAll(): Promise<void> {
  const { knex } = testDatabase();
  const rows: { tablename: string }[] = await knex('pg_tables').select('tablename').where('schemaname', 'public');
  const tables = rows.map((row) => row.tablename).filter((name) => !KEEP.has(name));
  if (tables.length > 0) await knex.raw(`truncate ${tables.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
}

/** Every row of every table people make, for checking that a failed request changed nothing. */
export async function snapshot(): Promise<Record<string, unknown[]>> {
  const { knex } = testDatabase();
  const rows: { tablename: string }[] = await knex('pg_tables').select('tablename').where('schemaname', 'public');
  const result: Record<string, unknown[]> = {};
  for (const { tablename } of rows.sort((a, b) => a.tablename.localeCompare(b.tablename))) {
    if (KEEP.has(tablename) || tablename === 'sessions' || tablename === 'rate_limits') continue;
    // Ordered by the whole primary key: ordered by a first column that repeats (scores, score_sheets, panel_members
    // …), rows that tie come in whatever order the plan gives, and a fresh ANALYZE between two snapshots can change
    // the plan (a failure seen once on CI with nothing changed).
    const key = await knex.raw(
      `select a.attname as name from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = ?::regclass and i.indisprimary
        order by array_position(i.indkey::int2[], a.attnum)`,
      [tablename],
    );
    const columns = (key.rows as { name: string }[]).map((row) => row.name);
    result[tablename] = await knex(tablename)
      .select('*')
      .orderByRaw(columns.length > 0 ? columns.map(() => '??').join(', ') : '1', columns);
  }
  return result;
}

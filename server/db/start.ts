/** Opens the system's database: the one at DATABASE_URL, or an embedded PostgreSQL under the data folder. */
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { connect, migrateToLatest } from './database.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { preferredOrFreePort } from './ports.ts';

export interface OpenDatabase {
  knex: Knex;
  url: string;
  embedded: boolean;
  /** The embedded cluster's folder, when it is not under the data folder (see embedded.ts). */
  movedClusterDir?: string;
  close(): Promise<void>;
}

/** Starts (if embedded), connects and migrates; `close` ends the pool and stops an embedded server cleanly. */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: await preferredOrFreePort(config.embeddedPostgresPort),
        persistent: true,
      });
  const url = config.databaseUrl ?? embedded!.url;
  const knex = connect(url, { max: config.databasePoolMax });
  try {
    await migrateToLatest(knex);
  } catch (error) {
    await knex.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    knex,
    url,
    embedded: embedded !== undefined,
    movedClusterDir:
      embedded && !embedded.clusterDir.startsWith(`${config.dataDir}/`) ? embedded.clusterDir : undefined,
    close: async () => {
      await knex.destroy();
      await embedded?.stop();
    },
  };
}

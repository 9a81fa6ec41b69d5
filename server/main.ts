/** Starts the system: configuration, database (embedded or DATABASE_URL), migrations, demo data, HTTP. */
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { systemClock, type AppContext } from './context.ts';
import { openDatabase } from './db/start.ts';
import { DEMO_PASSWORD, DEMO_USERS, databaseIsEmpty, loadDemoData } from './demo/seed.ts';
import { ensureBootstrapOfficer } from './identity/service.ts';

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
  console.log(`\n${signal}: stopping…`);
  server.close();
  server.closeAllConnections();
  await close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

/** Starts the system: configuration, database (embedded or DATABASE_URL), migrations, demo data, HTTP. */
import { createApp } from './app.ts';
import { sweepReleasedDecisions } from './appraisal/decisionMail.ts';
import { loadConfig } from './config.ts';
import { systemClock, type AppContext } from './context.ts';
import { EmbeddedPostgresUnavailable } from './db/embedded.ts';
import { openDatabase } from './db/start.ts';
import { DEMO_PASSWORD, DEMO_USERS, databaseIsEmpty, loadDemoData } from './demo/seed.ts';
import { ensureBootstrapOfficer } from './identity/service.ts';
import { startMailWorker } from './mail/worker.ts';
import { createLogger } from './logger.ts';
import { portOf, startMetricsServer, watchDatabasePool, watchOutbox } from './metrics.ts';
import { cutOff, drain } from './shutdown.ts';

const config = loadConfig();
const database = await openDatabase(config).catch((error: unknown) => {
  // One sentence an operator can act on, not a stack trace: what failed, and the setting that avoids it.
  if (error instanceof EmbeddedPostgresUnavailable) console.error(error.message);
  else if (config.databaseUrl)
    console.error(`Could not open the database at DATABASE_URL: ${(error as Error).message}`);
  else
    console.error(
      `Could not start the embedded PostgreSQL (${(error as Error).message}); set DATABASE_URL to use another.`,
    );
  process.exit(1);
});
const logger = createLogger(config);
const ctx: AppContext = { knex: database.knex, clock: systemClock, config, logger };
if (config.metricsPort !== undefined) {
  watchDatabasePool(database.knex);
  watchOutbox(ctx);
}
const metrics =
  config.metricsPort === undefined
    ? undefined
    : await startMetricsServer(config.metricsPort).catch(async (error: unknown) => {
        console.error(`Could not serve metrics on METRICS_PORT ${config.metricsPort}: ${(error as Error).message}`);
        await database.close();
        process.exit(1);
      });

const loadDemo = config.loadDemoData && (await databaseIsEmpty(ctx));
const bootstrapped = await ensureBootstrapOfficer(ctx);
if (loadDemo) await loadDemoData(ctx);

const { app, close } = createApp(ctx, database.url);
// Delivery runs beside the HTTP server in every process; the outbox shares the work out between them. Its loop
// also sweeps for the decisions whose release instant has come, e-mailed by whichever process sweeps first (each
// message once), so the sweep stops with it.
const mail = startMailWorker(ctx, { sweeps: [{ name: 'decision release', run: sweepReleasedDecisions }] });
const server = app.listen(config.port, () => {
  const url = `http://localhost:${config.port}`;
  console.log(`Funding calls is running at ${url}`);
  console.log(
    database.embedded ? `Database: embedded PostgreSQL, data in ${config.dataDir}` : 'Database: DATABASE_URL',
  );
  if (database.movedClusterDir)
    console.log(`  (its files are in ${database.movedClusterDir}, which the user "postgres" can reach)`);
  console.log(
    config.smtpUrl
      ? `E-mail: sent through SMTP_URL from ${config.mailFrom}`
      : 'E-mail: no SMTP_URL, so e-mails stay in the outbox and are printed here (npm run mail:status)',
  );
  if (metrics) console.log(`Metrics for Prometheus at http://localhost:${portOf(metrics)}/metrics`);
  if (bootstrapped) console.log(`Bootstrap officer created: ${bootstrapped}`);
  if (loadDemo || !bootstrapped) {
    console.log(`Demo sign-ins (password "${DEMO_PASSWORD}", loaded on first start):`);
    for (const user of DEMO_USERS) console.log(`  ${user.role.padEnd(9)} ${user.email.padEnd(35)} ${user.note}`);
  }
  console.log('Press Ctrl-C to stop.');
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: answering the requests already taken, then stopping…`);
  // Mail takes no new work at once and finishes the sends under way while the requests are answered.
  const mailStopped = mail.stop(config.shutdownGraceMs);
  const drained = await drain(server, database.knex, config.shutdownGraceMs);
  await mailStopped;
  if (!drained) {
    const ended = await cutOff(database.url).catch(() => 0);
    console.log(
      `Requests still running after ${config.shutdownGraceMs} ms were cut off (${ended} database sessions ended); ` +
        `what they had not committed was rolled back.`,
    );
  }
  metrics?.close();
  await close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

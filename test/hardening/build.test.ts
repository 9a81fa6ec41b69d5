/**
 * The production build: `npm run build` emits JavaScript, the built server starts on plain Node (no TypeScript
 * loader) and answers /healthz, its solver's thread is found in dist/, and a database reads the same to the
 * built migrations and to the sources under tsx, whichever of them migrated it.
 */
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { connect, migrateToLatest, migrationStatus } from '../../server/db/database.ts';
import { freePort } from '../../server/db/ports.ts';
import { testDatabase } from '../support/database.ts';
import { exited, healthy } from '../support/serverProcess.ts';

const run = promisify(execFile);
// Plain Node, as `npm start` runs it: nothing from this mocha process's TypeScript loader is passed on.
const plainNode = { ...process.env, NODE_OPTIONS: '' };
const sourceMigrations = fs
  .readdirSync('migrations')
  .filter((name) => name.endsWith('.ts'))
  .sort();

const dist = pathToFileURL(path.resolve('dist/server')).href;

/**
 * Runs `script` (an ES module's text, importing from `dist`) from a file on plain Node; answers what it printed,
 * parsed. A file, not --eval: the solver's thread would inherit --input-type and refuse to start.
 */
async function builtScript(script: string): Promise<unknown> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-built-'));
  const file = path.join(folder, 'script.mjs');
  fs.writeFileSync(file, script);
  try {
    const { stdout } = await run(process.execPath, [file], { env: plainNode });
    return JSON.parse(stdout);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** A fresh, empty database on the test cluster, with its URL. */
async function freshDatabase(name: string): Promise<string> {
  const { url, knex } = testDatabase();
  await knex.raw('drop database if exists ??', [name]);
  await knex.raw('create database ??', [name]);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.href;
}

const statusScript = (url: string, migrate: boolean) => `
  import { connect, migrateToLatest, migrationStatus } from '${dist}/db/database.js';
  const knex = connect(${JSON.stringify(url)});
  ${migrate ? 'await migrateToLatest(knex);' : ''}
  console.log(JSON.stringify(await migrationStatus(knex)));
  await knex.destroy();`;

describe('the production build', function () {
  this.timeout(300_000);

  before(async () => {
    // From nothing, as on a fresh clone: a file left by an earlier build cannot stand in for one this build lacks.
    fs.rmSync('dist', { recursive: true, force: true });
    await run('npm', ['run', 'build'], { env: plainNode });
  });

  it('emits JavaScript for the server and the migrations', () => {
    expect(fs.existsSync('dist/server/main.js')).to.equal(true);
    const built = fs
      .readdirSync('dist/migrations')
      .filter((name) => name.endsWith('.js'))
      .sort();
    expect(built).to.deep.equal(sourceMigrations.map((name) => name.replace(/\.ts$/, '.js')));
  });

  it('runs on a database the sources migrated, finding nothing missing or new', async () => {
    const url = await freshDatabase('build_from_source');
    const knex = connect(url, { max: 1 });
    try {
      await migrateToLatest(knex);
    } finally {
      await knex.destroy();
    }
    const status = await builtScript(statusScript(url, false));
    expect(status).to.deep.equal({ completed: sourceMigrations, pending: [] });
  });

  it('migrates a fresh database that the sources then find complete, under the same names', async () => {
    const url = await freshDatabase('build_then_source');
    expect(await builtScript(statusScript(url, true))).to.deep.equal({ completed: sourceMigrations, pending: [] });
    const knex = connect(url, { max: 1 });
    try {
      expect(await migrationStatus(knex)).to.deep.equal({ completed: sourceMigrations, pending: [] });
    } finally {
      await knex.destroy();
    }
  });

  it("solves on the solver's thread from dist/", async () => {
    expect(fs.existsSync('dist/server/appraisal/solver/worker.js')).to.equal(true);
    const outcome = await builtScript(`
      const { solveOnWorker, terminateSolverWorker } = await import('${dist}/appraisal/solver/thread.js');
      const problem = { values: [6, 5, 4], rows: [{ weights: [3, 2, 2], capacity: 4 }] };
      const outcome = await solveOnWorker({ problem, timeLimitSeconds: 5, relativeGap: 0 });
      await terminateSolverWorker();
      console.log(JSON.stringify(outcome));`);
    expect(outcome).to.deep.include({ optimal: true, chosen: [1, 2] });
  });

  it('starts the built server on plain Node, and it answers /healthz', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--expose-gc', 'dist/server/main.js'], {
      env: { ...plainNode, DATABASE_URL: testDatabase().url, PORT: String(port), DEMO_DATA: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    try {
      await healthy(port);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).to.deep.equal({ status: 'ok', database: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/sign-in`)).status).to.equal(200);
      expect((await fetch(`http://127.0.0.1:${port}/stylesheets/application.css`)).status).to.equal(200);
      expect(output).to.contain(`http://localhost:${port}`);
    } finally {
      child.kill('SIGTERM');
      expect(await exited(child), output).to.equal(0);
    }
  });
});

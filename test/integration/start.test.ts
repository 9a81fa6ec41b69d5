import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/db/ports.ts';

async function waitForHealth(url: string, deadline: number): Promise<{ status: number; body: unknown }> {
  for (;;) {
    try {
      const response = await fetch(url);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe('npm start on a fresh machine', () => {
  it(
    'starts an embedded PostgreSQL in an empty data folder, loads the demo, answers /healthz ' +
      'and stops cleanly on Ctrl-C',
    async function () {
      this.timeout(120_000);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundingcalls-start-'));
      fs.chmodSync(dataDir, 0o755);
      const port = await freePort();
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'server/main.ts'], {
        env: {
          ...process.env,
          DATABASE_URL: '',
          DATA_DIR: dataDir,
          PORT: String(port),
          EMBEDDED_POSTGRES_PORT: String(await freePort()),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      try {
        const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, Date.now() + 90_000);
        expect(health).to.deep.equal({ status: 200, body: { status: 'ok', database: 'ok' } });
        const calls = (await (await fetch(`http://127.0.0.1:${port}/api/v1/calls`)).json()) as {
          items: { reference: string }[];
        };
        expect(calls.items.map((call) => call.reference)).to.include('OC08S17P0801');
        expect(output).to.contain(`http://localhost:${port}`);
        expect(output).to.contain('officer@d2n2.example');
        // The consortium's partner and the offering organisation sign in too, and are printed with what they do.
        expect(output).to.match(/applicant +bids@derby-carers\.example +delivery partner that joined/);
        expect(output).to.contain('bids@amber-valley-mind.example');
        expect(fs.existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).to.equal(true);
      } finally {
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGINT');
        const code = await exited;
        // The database stopped with the server: PostgreSQL removes its pid file on a clean shutdown.
        const databaseStillRunning = fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'));
        fs.rmSync(dataDir, { recursive: true, force: true });
        expect(code, output).to.equal(0);
        expect(databaseStillRunning).to.equal(false);
      }
    },
  );
});

/** The real server (server/main.ts) in a process of its own on the test database, for tests that stop or kill it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { PASSWORD } from './app.ts';
import { testDatabase } from './database.ts';

/** Starts `npm start`'s server on `port` against the test database, without demo data. */
export function startServer(port: number, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_URL: testDatabase().url, PORT: String(port), DEMO_DATA: 'false', ...env },
    stdio: 'ignore',
  });
}

/** Resolves once the server on `port` answers /healthz with 200; fails after a minute. */
export async function healthy(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('the server did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Resolves with the exit code (or signal) of `child` once it has exited. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
}

/** Signs `email` in (with the tests' password) through the server on `port`; answers the session cookie to send. */
export async function signInCookie(port: number, email: string): Promise<string> {
  const signIn = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`signing ${email} in answered ${signIn.status}`);
  return signIn.headers.get('set-cookie')!.split(';')[0];
}

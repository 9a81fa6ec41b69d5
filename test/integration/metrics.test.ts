import { expect } from 'chai';
import { loadConfig } from '../../server/config.ts';
import { freePort } from '../../server/db/ports.ts';
import { exited, healthy, startServer } from '../support/serverProcess.ts';

/** The sample lines of `metric` in a Prometheus text exposition. */
function samples(text: string, metric: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));
}

describe('metrics on METRICS_PORT', () => {
  it('serves request durations by route and status, the pool, the solver and Node on their own port, not on PORT', async function () {
    this.timeout(120_000);
    const port = await freePort();
    const metricsPort = await freePort();
    const server = startServer(port, { METRICS_PORT: String(metricsPort) });
    try {
      await healthy(port);
      expect((await fetch(`http://127.0.0.1:${port}/api/v1/calls`)).status).to.equal(200);
      expect(
        (await fetch(`http://127.0.0.1:${port}/api/v1/calls/00000000-0000-4000-8000-000000000000`)).status,
      ).to.equal(404);
      expect((await fetch(`http://127.0.0.1:${port}/no/such/page/12345678`)).status).to.equal(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).to.equal(404);

      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).to.equal(200);
      expect(scrape.headers.get('content-type')).to.contain('text/plain');
      const text = await scrape.text();
      const counts = samples(text, 'http_request_duration_seconds_count');
      const count = (route: string, status: number) =>
        counts.find((line) => line.includes(`route="${route}"`) && line.includes(`status="${status}"`));
      expect(count('/api/v1/calls', 200)).to.match(/ 1$/);
      expect(count('/api/v1/calls/:id', 404)).to.match(/ 1$/);
      expect(count('/healthz', 200)).to.match(/ [1-9]\d*$/);
      expect(count('unmatched', 404)).to.match(/ 2$/);
      expect(text).not.to.contain('12345678');
      expect(samples(text, 'http_request_duration_seconds_bucket').length).to.be.greaterThan(10);
      for (const gauge of ['db_pool_connections_in_use', 'db_pool_connections_idle', 'db_pool_acquires_waiting'])
        expect(samples(text, gauge), gauge).to.have.length(1);
      expect(samples(text, 'db_pool_connections_max')).to.deep.equal(['db_pool_connections_max 10']);
      expect(text).to.contain('# TYPE solver_run_duration_seconds histogram');
      expect(samples(text, 'process_resident_memory_bytes')).to.have.length(1);
      expect(samples(text, 'nodejs_eventloop_lag_seconds')).to.have.length(1);

      expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).to.equal(404);
    } finally {
      server.kill('SIGTERM');
      await exited(server);
    }
  });

  it('is off unless METRICS_PORT is set', () => {
    expect(loadConfig({}).metricsPort).to.equal(undefined);
    expect(loadConfig({ METRICS_PORT: '9464' }).metricsPort).to.equal(9464);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).to.throw('METRICS_PORT must be a whole number');
  });
});

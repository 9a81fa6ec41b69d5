import { expect } from 'chai';
import { loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('reads every setting from the environment it is given, with defaults', () => {
    const config = loadConfig({ PORT: '4100', EMBEDDED_POSTGRES_PORT: '55000', DATABASE_POOL_MAX: '25', SHUTDOWN_GRACE_MS: '5000' });
    expect(config).to.include({ port: 4100, embeddedPostgresPort: 55000, databasePoolMax: 25, shutdownGraceMs: 5000 });
    expect(loadConfig({})).to.include({ port: 3000, embeddedPostgresPort: 54329, databasePoolMax: 10, shutdownGraceMs: 20_000 });
  });

  it('refuses a number that is not whole, naming the setting', () => {
    expect(() => loadConfig({ PORT: '30.5' })).to.throw('PORT must be a whole number, got "30.5"');
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '20s' })).to.throw('SHUTDOWN_GRACE_MS must be a whole number, got "20s"');
  });

  it('fails fast in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw('SESSION_SECRET must be set when NODE_ENV=production');
  });
});

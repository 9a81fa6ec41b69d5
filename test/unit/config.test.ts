import { expect } from 'chai';
import { loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('reads every setting from the environment it is given, with defaults', () => {
    const config = loadConfig({
      PORT: '4100',
      EMBEDDED_POSTGRES_PORT: '55000',
      DATABASE_POOL_MAX: '25',
      SHUTDOWN_GRACE_MS: '5000',
    });
    expect(config).to.include({ port: 4100, embeddedPostgresPort: 55000, databasePoolMax: 25, shutdownGraceMs: 5000 });
    expect(loadConfig({})).to.include({
      port: 3000,
      embeddedPostgresPort: 54329,
      databasePoolMax: 10,
      shutdownGraceMs: 20_000,
    });
  });

  it('refuses a number that is not whole, naming the setting', () => {
    expect(() => loadConfig({ PORT: '30.5' })).to.throw('PORT must be a whole number, got "30.5"');
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '20s' })).to.throw(
      'SHUTDOWN_GRACE_MS must be a whole number, got "20s"',
    );
  });

  it('fails fast in production without a session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).to.throw(
      'SESSION_SECRET must be set when NODE_ENV=production',
    );
  });

  it(
    'refuses to start in production without secure cookies, naming the setting, unless a trusted proxy ' +
      'says when HTTPS was used',
    () => {
      const production = { NODE_ENV: 'production', SESSION_SECRET: 'a secret' };
      expect(() => loadConfig(production)).to.throw(/^SECURE_COOKIES must be true when NODE_ENV=production/);
      expect(loadConfig({ ...production, SECURE_COOKIES: 'true' }).secureCookies).to.equal(true);
      expect(loadConfig({ ...production, TRUST_PROXY: 'loopback' })).to.include({
        secureCookies: 'auto',
        trustProxy: 'loopback',
      });
      expect(loadConfig({}).secureCookies).to.equal(false);
    },
  );

  it('trusts no proxy unless told which, and never every one', () => {
    expect(loadConfig({}).trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).to.equal('10.0.0.0/8, 127.0.0.1');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).to.throw(/TRUST_PROXY must name the proxies/);
  });

  it('throttles registrations at ten an hour per address unless told otherwise, 0 for none', () => {
    expect(loadConfig({}).registrationLimitPerHour).to.equal(10);
    expect(loadConfig({ REGISTRATION_LIMIT_PER_HOUR: '0' }).registrationLimitPerHour).to.equal(0);
  });

  it('keeps mail in the outbox without SMTP_URL, sends from MAIL_FROM and links on PUBLIC_BASE_URL', () => {
    expect(loadConfig({})).to.include({
      smtpUrl: undefined,
      mailFrom: 'Funding calls <no-reply@localhost>',
      publicBaseUrl: 'http://localhost:3000',
    });
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).to.equal('http://localhost:8080');
    expect(
      loadConfig({
        SMTP_URL: 'smtp://127.0.0.1:2525',
        MAIL_FROM: 'D2N2 <grants@example.org>',
        PUBLIC_BASE_URL: 'https://funding.example.org//',
      }),
    ).to.include({
      smtpUrl: 'smtp://127.0.0.1:2525',
      mailFrom: 'D2N2 <grants@example.org>',
      publicBaseUrl: 'https://funding.example.org',
    });
    expect(() => loadConfig({ SMTP_URL: 'not a url' })).to.throw(/^SMTP_URL must be a URL/);
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'funding.example.org' })).to.throw(/^PUBLIC_BASE_URL must be a URL/);
    expect(() => loadConfig({ MAIL_FROM: 'a@example.org\r\nBcc: b@example.org' })).to.throw(/^MAIL_FROM must be one/);
  });
});

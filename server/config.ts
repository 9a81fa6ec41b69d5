/** The only reader of process.env: every setting the system takes, with its default. */
import path from 'node:path';

export interface Config {
  port: number;
  /** Any PostgreSQL to use instead of the embedded one. */
  databaseUrl: string | undefined;
  /** The most connections one process holds to PostgreSQL. */
  databasePoolMax: number;
  /**
   * Where the call change feed LISTENs (the database itself, past any pooler in transaction mode, which loses
   * notifications): undefined for the database's own URL, `off` for no feed (call pages read their rows every view).
   */
  changeFeedUrl: string | undefined;
  /** Where the embedded PostgreSQL keeps its data between runs. */
  dataDir: string;
  embeddedPostgresPort: number;
  sessionSecret: string;
  production: boolean;
  bootstrap: { funderName: string; officerEmail?: string; officerPassword?: string };
  loadDemoData: boolean;
  /** 360Giving publisher prefix for grant identifiers, e.g. "360G-d2n2". */
  openDataPrefix: string;
  /** Who publishes the 360Giving data: a name, and an org-id.guide identifier and website if given. */
  openDataPublisher: { name: string; identifier?: string; website?: string };
  /** The licence the open data is published under (a URI). */
  openDataLicense: string;
  /** Funders' org-id.guide identifiers by funder name; a funder not listed gets one under openDataPrefix. */
  openDataFunderIds: Record<string, string>;
  /** Mark cookies Secure: true, or 'auto' (Secure when the request came over HTTPS) behind a trusted proxy. */
  secureCookies: boolean | 'auto';
  /** Whose X-Forwarded-For to believe, as Express's `trust proxy` takes it; false believes nobody's. */
  trustProxy: false | number | string;
  /** Registrations one client address may make in an hour; 0 for no limit. */
  registrationLimitPerHour: number;
  /** How long a stopping process (SIGTERM, Ctrl-C) goes on answering the requests it has taken, in milliseconds. */
  shutdownGraceMs: number;
  /** The least severe log level written (pino's: trace … fatal, or silent). */
  logLevel: LogLevel;
  /** JSON lines, readable lines (pino-pretty), or auto: readable in development on a terminal. */
  logFormat: 'json' | 'pretty' | 'auto';
  /** Where Prometheus metrics are served, on a port of their own; off when undefined. */
  metricsPort: number | undefined;
  /** Where e-mail is sent (smtp:// or smtps://); undefined keeps it in the outbox and prints it to the log. */
  smtpUrl: string | undefined;
  /** The From of every e-mail: an address, or a name and an address ("Funding calls <no-reply@example.org>"). */
  mailFrom: string;
  /** Where the system is reached from outside, without a trailing slash: the start of every link in an e-mail. */
  publicBaseUrl: string;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

function url(name: string, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!URL.canParse(raw)) throw new Error(`${name} must be a URL, got "${raw}"`);
  return raw;
}

function stringMap(name: string, raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`${name} must be a JSON object of names to identifiers`);
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  )
    throw new Error(`${name} must be a JSON object of names to identifiers`);
  return value as Record<string, string>;
}

function trustedProxies(raw: string | undefined): false | number | string {
  if (!raw || raw === 'false' || raw === 'none') return false;
  if (raw === 'true' || raw === '*')
    throw new Error(
      'TRUST_PROXY must name the proxies to trust (e.g. loopback, 10.0.0.0/8) or how many there are, not trust ' +
        'everyone',
    );
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/** Secure cookies, or why production cannot start without them. */
function secureCookies(
  env: NodeJS.ProcessEnv,
  production: boolean,
  trustProxy: false | number | string,
): boolean | 'auto' {
  if (env.SECURE_COOKIES === 'true') return true;
  if (!production) return false;
  // Behind a proxy that terminates HTTPS the request's own protocol, as the proxy tells it, decides.
  if (trustProxy !== false) return 'auto';
  throw new Error(
    'SECURE_COOKIES must be true when NODE_ENV=production, or TRUST_PROXY must name the proxy that terminates HTTPS',
  );
}

/** One header's value from the environment: CR or LF in it would start a header of its own. */
function headerValue(name: string, raw: string | undefined, fallback: string): string {
  if (raw === undefined || raw === '') return fallback;
  if (/[\r\n]/.test(raw)) throw new Error(`${name} must be one line`);
  return raw;
}

/** Reads the configuration, failing fast on a setting production cannot do without. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const sessionSecret = env.SESSION_SECRET ?? (production ? '' : 'development-only-session-secret');
  if (!sessionSecret) throw new Error('SESSION_SECRET must be set when NODE_ENV=production');
  const trustProxy = trustedProxies(env.TRUST_PROXY);
  return {
    port: integer(env, 'PORT', 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 10),
    changeFeedUrl: env.CHANGE_FEED_DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    embeddedPostgresPort: integer(env, 'EMBEDDED_POSTGRES_PORT', 54329),
    sessionSecret,
    production,
    bootstrap: {
      funderName: env.BOOTSTRAP_FUNDER_NAME || 'Local Enterprise Partnership',
      officerEmail: env.BOOTSTRAP_OFFICER_EMAIL || undefined,
      officerPassword: env.BOOTSTRAP_OFFICER_PASSWORD || undefined,
    },
    loadDemoData: env.DEMO_DATA !== 'false',
    openDataPrefix: env.OPEN_DATA_PREFIX || '360G-fundingcalls',
    openDataPublisher: {
      name: env.OPEN_DATA_PUBLISHER_NAME || env.BOOTSTRAP_FUNDER_NAME || 'Local Enterprise Partnership',
      identifier: env.OPEN_DATA_PUBLISHER_ID || undefined,
      website: url('OPEN_DATA_PUBLISHER_WEBSITE', env.OPEN_DATA_PUBLISHER_WEBSITE),
    },
    openDataLicense: url('OPEN_DATA_LICENSE', env.OPEN_DATA_LICENSE) ?? 'https://creativecommons.org/licenses/by/4.0/',
    openDataFunderIds: stringMap('OPEN_DATA_FUNDER_IDS', env.OPEN_DATA_FUNDER_IDS),
    secureCookies: secureCookies(env, production, trustProxy),
    trustProxy,
    registrationLimitPerHour: integer(env, 'REGISTRATION_LIMIT_PER_HOUR', 10),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 20_000),
    // Tests stay quiet unless they ask.
    logLevel: oneOf('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, env.NODE_ENV === 'test' ? 'silent' : 'info'),
    logFormat: oneOf('LOG_FORMAT', env.LOG_FORMAT, ['json', 'pretty', 'auto'] as const, 'auto'),
    metricsPort: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0) : undefined,
    smtpUrl: url('SMTP_URL', env.SMTP_URL),
    mailFrom: headerValue('MAIL_FROM', env.MAIL_FROM, 'Funding calls <no-reply@localhost>'),
    publicBaseUrl: (
      url('PUBLIC_BASE_URL', env.PUBLIC_BASE_URL) ?? `http://localhost:${integer(env, 'PORT', 3000)}`
    ).replace(/\/+$/, ''),
  };
}

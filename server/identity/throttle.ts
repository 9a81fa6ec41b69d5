/**
 * Throttles shared by every process through PostgreSQL's `rate_limits` table (rate-limiter-flexible): sign-in
 * failures per address, per account and address, and per account from anywhere with a growing wait;
 * registrations per address; password-reset requests per address and per e-mail address. The address is the
 * connection's, or what a proxy named in TRUST_PROXY says.
 */
import type { Request } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

function limiter(ctx: AppContext, keyPrefix: string, points: number, duration: number): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: ctx.knex,
    storeType: 'knex',
    tableName: 'rate_limits',
    tableCreated: true,
    keyPrefix,
    points,
    duration,
  });
}

function inWords(ms: number): string {
  const minutes = Math.ceil(ms / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The wait rate-limiter-flexible's refusal asks for, as a 429 in words; anything else is thrown on. */
function tooMany(rejection: unknown, what: string): never {
  if (rejection instanceof RateLimiterRes)
    throw new AppError(429, 'too-many-attempts', `Too many ${what}; try again in ${inWords(rejection.msBeforeNext)}`);
  throw rejection;
}

/** Failed sign-ins an account may have, from anywhere, before each further attempt waits longer than the last. */
export const FREE_FAILURES_PER_ACCOUNT = 10;

/** The wait before the next attempt after `beyond` failures past the free ones: 30 s, doubling, at most 15 minutes. */
export function backOffSeconds(beyond: number): number {
  return Math.min(15 * 60, 30 * 2 ** Math.max(0, beyond - 1));
}

export interface SignInAttempt {
  /** The password was right: the attempt is not counted. */
  succeeded(): Promise<void>;
}

/**
 * Sign-in throttling. Each attempt is counted as it starts, so a burst of them cannot all pass before the first
 * failure is recorded, and given back if the password was right: only failures count. Per address 100 and per
 * account and address 10 in 15 minutes; per account from any address, past 10 failures in a day, each attempt
 * waits 30 s, then 1, 2, 4, 8 and at most 15 minutes after the one before.
 */
export function signInThrottle(ctx: AppContext) {
  const perAddress = limiter(ctx, 'signin-address', 100, 15 * 60);
  const perAccountAndAddress = limiter(ctx, 'signin-account', 10, 15 * 60);
  const perAccount = limiter(ctx, 'signin-account-any', Number.MAX_SAFE_INTEGER, 24 * 60 * 60);
  const accountGate = limiter(ctx, 'signin-account-wait', 1, 15 * 60);
  return async (req: Request, email: string): Promise<SignInAttempt> => {
    const address = req.ip ?? 'unknown';
    const account = email.trim().toLowerCase();
    const pair = `${account}|${address}`;
    try {
      await perAddress.consume(address);
      await perAccountAndAddress.consume(pair);
    } catch (rejection) {
      tooMany(rejection, 'sign-in attempts');
    }
    const failures = (await perAccount.consume(account)).consumedPoints;
    if (failures > FREE_FAILURES_PER_ACCOUNT) {
      try {
        // The first attempt after the wait opens the next, longer one; any other within it is refused.
        await accountGate.consume(account, 1, { customDuration: backOffSeconds(failures - FREE_FAILURES_PER_ACCOUNT) });
      } catch (rejection) {
        // A refused attempt tried no password: it does not lengthen the wait.
        await perAccount.reward(account, 1);
        tooMany(rejection, 'sign-in attempts for this account');
      }
    }
    return {
      succeeded: async () => {
        await perAddress.reward(address, 1);
        await perAccountAndAddress.delete(pair);
        await perAccount.delete(account);
      },
    };
  };
}

/** Registration throttling per client address (REGISTRATION_LIMIT_PER_HOUR; 0 for none): each costs a password hash. */
export function registrationThrottle(ctx: AppContext): (req: Request) => Promise<void> {
  const perHour = ctx.config.registrationLimitPerHour;
  const perAddress = perHour > 0 ? limiter(ctx, 'register-address', perHour, 60 * 60) : undefined;
  return async (req) => {
    if (!perAddress) return;
    await perAddress
      .consume(req.ip ?? 'unknown')
      .catch((rejection: unknown) => tooMany(rejection, 'registrations from this address'));
  };
}

/** Password-reset requests one client address may make in an hour, before it is answered 429. */
export const RESET_REQUESTS_PER_CLIENT_PER_HOUR = 30;

/** Reset links one e-mail address may be sent in an hour; a request past it is answered as any other, unsent. */
export const RESET_LINKS_PER_ADDRESS_PER_HOUR = 3;

/**
 * Password-reset throttling: answers whether to send the link. Per client address, past the limit, a 429: that
 * counts only the client's own requests, so it says nothing about the address asked for. Per e-mail address, past
 * the limit, the request is answered 202 as any other but nothing is made or sent: a 429 there would count other
 * people's requests for the address too, and a refusal at an attacker's first try would tell them someone (most
 * likely its owner) had asked recently. Every address is counted alike, whether or not it has an account.
 */
export function passwordResetThrottle(ctx: AppContext): (req: Request, email: string) => Promise<boolean> {
  const perClient = limiter(ctx, 'reset-client', RESET_REQUESTS_PER_CLIENT_PER_HOUR, 60 * 60);
  const perAddress = limiter(ctx, 'reset-address', RESET_LINKS_PER_ADDRESS_PER_HOUR, 60 * 60);
  return async (req, email) => {
    await perClient
      .consume(req.ip ?? 'unknown')
      .catch((rejection: unknown) => tooMany(rejection, 'password-reset requests from this address'));
    try {
      await perAddress.consume(email.trim().toLowerCase());
      return true;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return false;
      throw rejection;
    }
  };
}

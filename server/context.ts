/** What every service needs: the database, the clock and the configuration. Built once in main.ts or a test. */
import type { Knex } from 'knex';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

/** The server clock decides deadlines; tests replace it to stand one second either side of one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppContext {
  knex: Knex;
  clock: Clock;
  /**
   * The clock sessions are timed by (30 minutes without a request, 8 hours in all): `clock` unless given. Tests give
   * one of their own, so that standing `clock` past a call's deadline does not also end every session they hold.
   */
  sessionClock?: Clock;
  config: Config;
  /** The log; createApp makes one from the configuration when it is not given. */
  logger?: Logger;
}

/** The signed-in person a service acts for. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: 'officer' | 'applicant' | 'appraiser';
  funderId: string | null;
  organisationId: string | null;
  /** What the actor is to their organisation, when they belong to one. */
  organisationRole: 'admin' | 'member' | null;
}

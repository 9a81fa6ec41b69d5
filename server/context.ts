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

/**
 * The one home of every access rule: may this person do this to this call, bid, panel, score sheet or file.
 * Each answer is a proof (Reached) holding the rows it read, which the services require, so a service cannot
 * be called around the rule. The rules are written in the words of membership.ts: funder, organisation, panel.
 */
export type { Reached } from './grant.ts';
export * from './membership.ts';
export * from './calls.ts';
export * from './bids.ts';
export * from './appraisal.ts';
export * from './files.ts';
export * from './mail.ts';
export * from './offers.ts';
export * from './people.ts';

/**
 * Builds the benchmark's world through the service layer: a closed national call with 2,000 submitted bids
 * scored by a 3-appraiser panel on 12 criteria (72,000 score rows), and an open call with complete drafts ready
 * for the submission load (those drafts go in through the repositories in batched transactions: they are the
 * load's starting point, not what is measured).
 */
import type { Knex } from 'knex';
import type { Actor, AppContext, Clock } from '../server/context.ts';
import { recordAudit } from '../server/audit/repository.ts';
import { createBid, submitBid } from '../server/bids/service.ts';
import { insertBid, nextBidReference } from '../server/bids/repository.ts';
import { createCall, publishCall } from '../server/calls/service.ts';
import { declareConflict, saveMyScores, setPanel } from '../server/appraisal/service.ts';
import { saveDeclaration, saveSheet } from '../server/appraisal/repository.ts';
import { hashPassword } from '../server/identity/passwords.ts';
import { findUserById, insertFunder, insertOrganisation, insertUser } from '../server/identity/repository.ts';
import { toActor } from '../server/identity/service.ts';
import type { BidFields } from '../server/bids/types.ts';
import type { CallFields } from '../server/calls/types.ts';
import { nationalBidBody, nationalCallBody, randomSource, scoredCriteria, scoreSheet } from './synthetic.ts';

export const BENCH_PASSWORD = 'benchmark password, not a secret';

/** A clock that runs in real time, optionally shifted so the build can stand inside a call's open window. */
export class BenchClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  /** From now on the clock reads `instant`, and runs on from there. */
  shiftTo(instant: Date): void {
    this.offsetMs = instant.getTime() - Date.now();
  }
  reset(): void {
    this.offsetMs = 0;
  }
}

export interface Person {
  actor: Actor;
  email: string;
}

export interface Draft {
  bidId: string;
  /** Index into `submitters`: whose session submits it. */
  owner: number;
  body: BidFields;
}

export interface World {
  officer: Person;
  appraisers: Person[];
  appraisalCall: { id: string; fields: CallFields; bids: number; criteria: string[] };
  submissionCall: { id: string; fields: CallFields };
  submitters: Person[];
  /** Drafts on the open call for the HTTP submission load (warm-up, then measured). */
  httpDrafts: Draft[];
  /** Drafts on the open call for the pg baseline. */
  baselineDrafts: Draft[];
  timings: Record<string, number>;
}

export interface BuildOptions {
  bids: number;
  httpDrafts: number;
  baselineDrafts: number;
  submitters: number;
  concurrency: number;
  log: (line: string) => void;
}

const DAY = 24 * 3600 * 1000;
/** Score sheets submitted through the services before the rest go in through the repositories. */
const SHEETS_VIA_SERVICES = 300;

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  timings[name] = (performance.now() - started) / 1000;
  return result;
}

/** A person of the benchmark's world, inserted as the repositories insert one, with the actor they act as. */
export async function person(
  knex: Knex,
  passwordHash: string,
  user: { email: string; role: Actor['role']; funderId?: string; organisationId?: string },
): Promise<Person> {
  const row = await insertUser(knex, {
    email: user.email,
    passwordHash,
    name: user.email.split('@')[0],
    role: user.role,
    funderId: user.funderId ?? null,
    organisationId: user.organisationId ?? null,
  });
  return { actor: toActor((await findUserById(knex, row.id))!), email: user.email };
}

async function applicants(knex: Knex, passwordHash: string, count: number, label: string): Promise<Person[]> {
  const people: Person[] = [];
  for (let i = 0; i < count; i++) {
    const organisation = await knex.transaction((trx) =>
      insertOrganisation(trx, {
        name: `${label} consortium ${i + 1}`,
        type: 'vcs',
        charityNumber: String(1150000 + i),
        companyNumber: null,
      }),
    );
    people.push(
      await person(knex, passwordHash, {
        email: `${label}-${i + 1}@bench.example`,
        role: 'applicant',
        organisationId: organisation.id,
      }),
    );
  }
  return people;
}

/**
 * Drafts through the repositories, in transactions of a few hundred: reference, row and audit event as createBid makes
 * them.
 */
async function bulkDrafts(ctx: AppContext, callId: string, owners: Person[], bodies: BidFields[]): Promise<Draft[]> {
  const drafts: Draft[] = [];
  for (let start = 0; start < bodies.length; start += 250) {
    await ctx.knex.transaction(async (trx) => {
      for (let i = start; i < Math.min(bodies.length, start + 250); i++) {
        const owner = i % owners.length;
        const { actor } = owners[owner];
        const reference = await nextBidReference(trx, callId);
        const bid = await insertBid(trx, {
          callId,
          organisationId: actor.organisationId!,
          reference,
          draft: bodies[i],
          createdBy: actor.id,
        });
        await recordAudit(trx, { actorId: actor.id, action: 'bid.created', callId, bidId: bid.id, after: bodies[i] });
        drafts.push({ bidId: bid.id, owner, body: bodies[i] });
      }
    });
  }
  return drafts;
}

/** Builds the whole world; `clock` is the services' clock, shifted while the closed call is still open. */
export async function buildWorld(ctx: AppContext, clock: BenchClock, options: BuildOptions): Promise<World> {
  const timings: Record<string, number> = {};
  const { knex } = ctx;
  const log = options.log;
  const random = randomSource(20261123);
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  const funderId = (await insertFunder(knex, 'National Managing Authority (benchmark)')).id;
  const officer = await person(knex, passwordHash, { email: 'officer@bench.example', role: 'officer', funderId });
  const appraisers: Person[] = [];
  for (let i = 0; i < 3; i++)
    appraisers.push(
      await person(knex, passwordHash, { email: `appraiser-${i + 1}@bench.example`, role: 'appraiser', funderId }),
    );
  const bidders = await applicants(knex, passwordHash, 200, 'national');

  // The closed call: open 60 days ago, closed a day ago; built with the clock standing in its open window.
  const now = Date.now();
  const fields = nationalCallBody(new Date(now - 60 * DAY), new Date(now - DAY), 'OC99S26P0001');
  clock.shiftTo(new Date(now - 30 * DAY));
  const callId = (await createCall(ctx, officer.actor, fields)).call.id;
  await publishCall(ctx, officer.actor, callId);
  const bodies = Array.from({ length: options.bids }, (_, n) => nationalBidBody(random, fields, n + 1));
  const bidIds: string[] = new Array(options.bids);
  await timed(timings, 'bidsCreatedAndSubmitted', () =>
    inParallel(bodies, options.concurrency, async (body, i) => {
      const { actor } = bidders[i % bidders.length];
      const view = await createBid(ctx, actor, callId, body);
      await submitBid(ctx, actor, view.bid.id);
      bidIds[i] = view.bid.id;
      if ((i + 1) % 500 === 0) log(`  ${i + 1} bids submitted`);
    }),
  );
  log(
    `  ${options.bids} bids created and submitted through the services in ` +
      `${timings.bidsCreatedAndSubmitted.toFixed(1)} s`,
  );

  // After the deadline (real time again): the panel declares and scores every bid on every criterion.
  clock.reset();
  await setPanel(ctx, officer.actor, callId, { appraiserIds: appraisers.map((a) => a.actor.id) });
  const criteria = scoredCriteria(fields);
  // Most bids meet the quality thresholds, so nearly all 2,000 are in the funding plans; a few fall below.
  const quality = bidIds.map(() => 3.2 + random() * 1.8);
  const sheets = bidIds.flatMap((bidId, b) =>
    appraisers.map((appraiser, a) => ({ bidId, appraiser, sheet: scoreSheet(random, criteria, quality[b], a) })),
  );
  // A sample through the services (declareConflict, saveMyScores), the rest through the same repository calls in
  // batched transactions: 6,000 sheets one service call at a time would be most of the build's minute.
  const viaServices = sheets.slice(0, SHEETS_VIA_SERVICES);
  await timed(timings, 'sheetsViaServices', () =>
    inParallel(viaServices, options.concurrency, async ({ bidId, appraiser, sheet }) => {
      await declareConflict(ctx, appraiser.actor, bidId, { conflict: false });
      await saveMyScores(ctx, appraiser.actor, bidId, sheet);
    }),
  );
  const batches: (typeof sheets)[] = [];
  for (let start = viaServices.length; start < sheets.length; start += 100)
    batches.push(sheets.slice(start, start + 100));
  await timed(timings, 'sheetsViaRepositories', () =>
    inParallel(batches, 2, (batch) =>
      knex.transaction(async (trx) => {
        for (const { bidId, appraiser, sheet } of batch) {
          const at = new Date();
          const actorId = appraiser.actor.id;
          await saveDeclaration(trx, { bidId, appraiserId: actorId, conflict: false, details: null, declaredAt: at });
          await recordAudit(trx, {
            actorId,
            action: 'conflict.declared',
            callId,
            bidId,
            before: null,
            after: { conflict: false, details: null },
            at,
          });
          await saveSheet(trx, bidId, actorId, sheet.scores, { updatedAt: at, submittedAt: at });
          await recordAudit(trx, {
            actorId,
            action: 'scores.submitted',
            callId,
            bidId,
            before: null,
            after: { scores: sheet.scores },
            at,
          });
        }
      }),
    ),
  );
  timings.bidsScored = timings.sheetsViaServices + timings.sheetsViaRepositories;
  log(
    `  ${sheets.length} declarations and score sheets (${sheets.length * criteria.length} scores) in ` +
      `${timings.bidsScored.toFixed(1)} s ` +
      `(${viaServices.length} through the services in ${timings.sheetsViaServices.toFixed(1)} s, the rest through ` +
      `the repositories)`,
  );

  // The open call, and complete drafts on it for the submission load and its baseline.
  const openFields = nationalCallBody(new Date(now - DAY), new Date(now + 30 * DAY), 'OC99S26P0002');
  const openId = (await createCall(ctx, officer.actor, openFields)).call.id;
  await publishCall(ctx, officer.actor, openId);
  const submitters = await applicants(knex, passwordHash, options.submitters, 'rush');
  const draftBodies = Array.from({ length: options.httpDrafts + options.baselineDrafts }, (_, n) =>
    nationalBidBody(random, openFields, 100_000 + n),
  );
  const drafts = await timed(timings, 'draftsInserted', () => bulkDrafts(ctx, openId, submitters, draftBodies));
  log(`  ${drafts.length} drafts on the open call through the repositories in ${timings.draftsInserted.toFixed(1)} s`);

  return {
    officer,
    appraisers,
    appraisalCall: { id: callId, fields, bids: options.bids, criteria },
    submissionCall: { id: openId, fields: openFields },
    submitters,
    httpDrafts: drafts.slice(0, options.httpDrafts),
    baselineDrafts: drafts.slice(options.httpDrafts),
    timings,
  };
}

/**
 * Load and timing: autocannon runs against the server process, the straight-through-pg baseline for
 * submissions, and small HTTP helpers (sign in, time one GET to its last byte).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import type { Knex } from 'knex';
import { findCall, loadIndicators } from '../server/calls/repository.ts';
import { toCall } from '../server/calls/presenter.ts';
import { bidEsfPence, declaredMatchPence, runGateway } from '../server/bids/gateway.ts';
import { canonicalJson, sha256Hex, type VersionContent } from '../server/bids/receipt.ts';
import { renderMail, type RenderedMail } from '../server/mail/render.ts';
import type { Draft, Person } from './build.ts';

export interface LoadResult {
  /** Successful (2xx) responses per second over the run. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  ok: number;
  failed: number;
  seconds: number;
}

/** `seconds`, when given, is the run's own measure of its length, in place of autocannon's. */
function summarise(result: autocannon.Result, seconds = result.duration): LoadResult {
  const ok = result['2xx'];
  return {
    perSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    seconds,
  };
}

/** GETs `paths` (round robin per connection) for `seconds` with `connections` connections. */
export async function readLoad(
  port: number,
  paths: string[],
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: paths.map((path) => ({ method: 'GET', path, headers })),
  });
  return summarise(result);
}

/**
 * Submits each draft once: every request takes the next unsubmitted draft and its owner's session cookie,
 * through the real API (`POST /api/v1/bids/:id/submit`). `amount` requests in all over `connections` clients.
 */
export async function submissionLoad(
  port: number,
  cookies: string[],
  drafts: Draft[],
  connections: number,
  amount: number,
): Promise<LoadResult & { overflow: number }> {
  let next = 0;
  let overflow = 0;
  const started = performance.now();
  let lastResponse = started;
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/bids/none/submit',
        setupRequest: (request) => {
          // autocannon builds each client's next request as the previous one returns, so a few more are built
          // than sent; the pool has room for them. Past it, a draft would be submitted twice: counted, never expected.
          if (next >= drafts.length) overflow += 1;
          const draft = drafts[Math.min(next++, drafts.length - 1)];
          return {
            ...request,
            path: `/api/v1/bids/${draft.bidId}/submit`,
            headers: { ...request.headers, cookie: cookies[draft.owner], 'content-type': 'application/json' },
          };
        },
      },
    ],
  };
  // A run of a fixed number of requests ends at autocannon's next one-second tick after the last response, and its
  // duration says so: 2,000 submissions done in 5.2 s read as 6 s. The rate is taken to the last response instead.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
    run.on('response', () => {
      lastResponse = performance.now();
    });
  });
  return { ...summarise(result, (lastResponse - started) / 1000), overflow };
}

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when there is none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface PreparedSubmission {
  bidId: string;
  submittedBy: string;
  canonicalJson: string;
  sha256: string;
  gateway: string;
  gatewayPassed: boolean;
  flags: string;
  esfPence: number;
  matchPence: number;
  totalEligibleCostPence: number;
  participants: number;
  callId: string;
  organisationId: string;
  /** The receipt as it is e-mailed, rendered beforehand like the gateway. */
  receipt: RenderedMail;
}

/**
 * The submissions baseline: the same rows submitBid writes (the bid locked, its version with gateway and
 * receipt, the bid's status, the audit event; the receipt e-mailed to each member of the organisation, an outbox
 * row and an event on the bid's trail each, after reading who they are), straight through pg, one transaction per
 * bid, `connections` at a time. The gateway, canonical JSON and e-mail are prepared beforehand: only the database
 * work is timed.
 */
export async function pgSubmissionBaseline(
  knex: Knex,
  url: string,
  callId: string,
  drafts: Draft[],
  submitters: Person[],
  connections: number,
): Promise<LoadResult> {
  const call = (await findCall(knex, callId))!;
  const indicators = await loadIndicators(knex);
  const references = new Map<string, string>(
    (
      await knex('bids')
        .whereIn(
          'id',
          drafts.map((d) => d.bidId),
        )
        .select('id', 'reference')
    ).map((r: { id: string; reference: string }) => [r.id, r.reference]),
  );
  const prepared: PreparedSubmission[] = drafts.map((draft) => {
    const submittedAt = new Date();
    const actor = submitters[draft.owner].actor;
    const content: VersionContent = {
      bid: { id: draft.bidId, reference: references.get(draft.bidId)! },
      call: { id: call.id, reference: call.reference },
      organisationId: actor.organisationId!,
      version: 1,
      submittedAt: submittedAt.toISOString(),
      submittedBy: actor.id,
      fields: draft.body,
      attachments: [],
    };
    const text = canonicalJson(content);
    const gateway = runGateway({ call: toCall(call, submittedAt), bid: draft.body, submittedAt, indicators });
    return {
      bidId: draft.bidId,
      submittedBy: actor.id,
      canonicalJson: text,
      sha256: sha256Hex(text),
      gateway: JSON.stringify(gateway.checks),
      gatewayPassed: gateway.passed,
      flags: JSON.stringify(gateway.flags),
      esfPence: bidEsfPence(draft.body),
      matchPence: declaredMatchPence(draft.body),
      totalEligibleCostPence: draft.body.totalEligibleCostPence ?? 0,
      participants: draft.body.outputTargets?.find((t) => t.indicator === 'P-TOTAL')?.target ?? 0,
      callId,
      organisationId: actor.organisationId!,
      receipt: renderMail('bid-receipt', {
        recipientName: actor.name,
        organisationName: 'The organisation',
        callTitle: call.title,
        title: draft.body.title,
        reference: references.get(draft.bidId)!,
        version: 1,
        submittedAt,
        sha256: sha256Hex(text),
        link: `http://localhost/bids/${draft.bidId}/submitted`,
      }),
    };
  });

  const pool = new pg.Pool({ connectionString: url, max: connections });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (next < prepared.length) {
        const s = prepared[next++];
        const t0 = performance.now();
        await client.query('begin');
        await client.query('select * from bids where id = $1 for update', [s.bidId]);
        await client.query(
          `insert into bid_versions (bid_id, version, submitted_at, submitted_by, canonical_json, sha256, gateway,
             gateway_passed, flags, esf_pence, match_pence, total_eligible_cost_pence, participants)
           values ($1, 1, now(), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            s.bidId,
            s.submittedBy,
            s.canonicalJson,
            s.sha256,
            s.gateway,
            s.gatewayPassed,
            s.flags,
            s.esfPence,
            s.matchPence,
            s.totalEligibleCostPence,
            s.participants,
          ],
        );
        await client.query(
          `update bids set status = 'submitted', current_version = 1, updated_at = now() where id = $1`,
          [s.bidId],
        );
        await client.query(
          `insert into audit_events (actor_id, action, call_id, bid_id, before, after) values ($1, ` +
            `'bid.submitted', $2, $3, $4, $5)`,
          [
            s.submittedBy,
            s.callId,
            s.bidId,
            JSON.stringify({ status: 'draft', version: null }),
            JSON.stringify({ status: 'submitted', version: 1, sha256: s.sha256, gatewayPassed: s.gatewayPassed }),
          ],
        );
        const members = await client.query(
          `select u.id, u.email, u.name, o.name as organisation_name from users u ` +
            `join organisations o on o.id = u.organisation_id where u.organisation_id = $1 and u.role = 'applicant' ` +
            `order by u.email`,
          [s.organisationId],
        );
        for (const member of members.rows as { id: string; email: string }[]) {
          const outbox = await client.query(
            `insert into mail_outbox (to_address, template, subject, text_body, html_body, message_id, bid_id, ` +
              `call_id, dedupe_key, queued_at, next_attempt_at) values ($1, 'bid-receipt', $2, $3, $4, $5, $6, $7, ` +
              `$8, now(), now()) on conflict (dedupe_key) do nothing returning id`,
            [
              member.email,
              s.receipt.subject,
              s.receipt.text,
              s.receipt.html,
              `<${crypto.randomUUID()}@bench.example>`,
              s.bidId,
              s.callId,
              `receipt:${s.bidId}:1:${member.email.toLowerCase()}`,
            ],
          );
          await client.query(
            `insert into audit_events (actor_id, action, call_id, bid_id, before, after) values (null, ` +
              `'mail.queued', $1, $2, null, $3)`,
            [
              s.callId,
              s.bidId,
              JSON.stringify({ outboxId: outbox.rows[0]?.id, to: member.email, template: 'bid-receipt' }),
            ],
          );
        }
        await client.query('commit');
        latencies.push(performance.now() - t0);
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: prepared.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    total: prepared.length,
    ok: prepared.length,
    failed: 0,
    seconds,
  };
}

/** Signs in through the API and answers the session cookie (`fc.sid=…`). */
export async function signIn(port: number, email: string, password: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`Sign-in of ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('fc.sid='));
  if (!cookie) throw new Error('Sign-in set no session cookie');
  return cookie.split(';')[0];
}

export interface TimedGet {
  status: number;
  seconds: number;
  bytes: number;
  firstBytes: Buffer;
  /** Seconds to the response headers. */
  headersSeconds: number;
}

/** GETs a path and reads the body to its end, counting bytes; keeps only the first few, unless `saveTo` a file. */
export function timedGet(port: number, path: string, cookie: string, saveTo?: string): Promise<TimedGet> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const request = http.get({ host: '127.0.0.1', port, path, headers: { cookie }, agent: false }, (response) => {
      const headersSeconds = (performance.now() - started) / 1000;
      let bytes = 0;
      let firstBytes = Buffer.alloc(0);
      const file = saveTo ? fs.createWriteStream(saveTo) : undefined;
      if (file) response.pipe(file);
      response.on('data', (chunk: Buffer) => {
        if (firstBytes.length < 256) firstBytes = Buffer.concat([firstBytes, chunk]).subarray(0, 256);
        bytes += chunk.length;
      });
      response.on('end', () => {
        const seconds = (performance.now() - started) / 1000;
        const done = () => resolve({ status: response.statusCode ?? 0, seconds, bytes, firstBytes, headersSeconds });
        if (file) file.once('finish', done);
        else done();
      });
      response.on('error', reject);
      response.on('close', () => {
        if (!response.complete) reject(new Error(`GET ${path}: the server cut the response after ${bytes} bytes`));
      });
    });
    request.on('error', reject);
    request.setTimeout(120_000, () => request.destroy(new Error(`GET ${path} timed out`)));
  });
}

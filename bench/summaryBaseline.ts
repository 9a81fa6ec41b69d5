/**
 * The appraisal summary's baseline: the rows `GET /api/v1/calls/:id/appraisal` is computed from, read straight
 * through pg on one connection, one query after another as the endpoint reads them, and nothing computed. They
 * are the call; its appraised bids (the columns the summary keeps, not the working drafts); each one's newest
 * version, its canonical text (where the fields are) read as stored, not parsed; the submitted score sheets; the
 * submitted scores (bid, criterion, score: not the comments, which the summary does not show); the moderations;
 * the decisions; and the call's solved plans. The endpoint's own queries may read these rows in another shape
 * (aggregates, say): the baseline stays the rows.
 */
import pg from 'pg';

/** The queries, in the order they run: each one's rows are counted, so a baseline reading nothing shows. */
const QUERIES: [name: string, sql: string][] = [
  ['call', `select * from calls where id = $1`],
  [
    'bids',
    `select id, call_id, organisation_id, reference, status, current_version, created_by, created_at, updated_at
       from bids where call_id = $1 and status in ('submitted', 'approved', 'approved_with_conditions', 'rejected')
      order by reference`,
  ],
  [
    'versions',
    `select distinct on (v.bid_id) v.id, v.bid_id, v.version, v.submitted_at, v.submitted_by, v.sha256, v.gateway,
            v.gateway_passed, v.flags, v.esf_pence, v.match_pence, v.total_eligible_cost_pence, v.participants,
            v.canonical_json
       from bid_versions v join bids b on b.id = v.bid_id where b.call_id = $1
      order by v.bid_id, v.version desc`,
  ],
  [
    'sheets',
    `select h.* from score_sheets h join bids b on b.id = h.bid_id where b.call_id = $1 and h.submitted_at is not null`,
  ],
  [
    'scores',
    `select s.bid_id, s.criterion, s.score from scores s
       join score_sheets h on h.bid_id = s.bid_id and h.appraiser_id = s.appraiser_id
       join bids b on b.id = s.bid_id
      where b.call_id = $1 and h.submitted_at is not null and s.score is not null`,
  ],
  ['moderations', `select m.* from moderations m join bids b on b.id = m.bid_id where b.call_id = $1`],
  ['decisions', `select d.* from decisions d join bids b on b.id = d.bid_id where b.call_id = $1`],
  ['plans', `select plan from funding_plan_cache where call_id = $1`],
];

export interface SummaryBaseline {
  /** Median over the runs, in seconds. */
  seconds: number;
  runs: number[];
  /** Rows read per query (the same in every run). */
  rows: Record<string, number>;
}

/** Reads the rows `runs` times after one read to warm the connection and PostgreSQL's cache; the median counts. */
export async function summaryBaseline(url: string, callId: string, runs = 3): Promise<SummaryBaseline> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows: Record<string, number> = {};
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      for (const [name, sql] of QUERIES) rows[name] = (await client.query(sql, [callId])).rowCount ?? 0;
      if (i > 0) times.push((performance.now() - started) / 1000);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { seconds: sorted[Math.floor((sorted.length - 1) / 2)], runs: times, rows };
  } finally {
    await client.end();
  }
}

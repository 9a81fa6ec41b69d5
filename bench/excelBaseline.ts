/**
 * The workbook baseline, in its own process: ExcelJS's streaming writer writing the same rows from memory.
 * With BENCH_XLSX_FILE (the workbook the endpoint produced) the rows are read back from it, cell values and
 * number formats, so they are exactly the same; without it (no endpoint yet) rows of the same shape are made
 * from the call's appraisal: one per bid, per gateway check, per score, per target, per match line, per partner.
 * Only the writing is timed. Reports `{seconds, rows, bytes, maxRssKb}` to its parent.
 */
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { connect } from '../server/db/database.ts';
import { findCall } from '../server/calls/repository.ts';
import { appraiseCall } from '../server/appraisal/summary.ts';
import { panelOf } from '../server/appraisal/repository.ts';

interface SheetRows {
  name: string;
  /** Number format per column (1-based), where one was seen. */
  numFmt: Map<number, string>;
  rows: unknown[][];
}

async function readBack(file: string): Promise<SheetRows[]> {
  const sheets: SheetRows[] = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const worksheet of reader) {
    const ws = worksheet as unknown as ExcelJS.Worksheet & AsyncIterable<ExcelJS.Row>;
    const sheet: SheetRows = { name: ws.name, numFmt: new Map(), rows: [] };
    for await (const row of ws) {
      const values = (row.values as unknown[]).slice(1);
      row.eachCell((cell, col) => {
        if (cell.numFmt) sheet.numFmt.set(col, cell.numFmt);
      });
      sheet.rows.push(values);
    }
    sheets.push(sheet);
  }
  return sheets;
}

const MONEY = '£#,##0.00';

async function fromAppraisal(url: string, callId: string): Promise<SheetRows[]> {
  const knex = connect(url);
  try {
    const call = (await findCall(knex, callId))!;
    const appraisal = await appraiseCall(knex, call, { timeLimitSeconds: 1 });
    const names = new Map((await panelOf(knex, callId)).map((p) => [p.appraiserId, p.name]));
    const ids = appraisal.bids.map((b) => b.bid.id);
    const scores: { bidId: string; appraiserId: string; criterion: string; score: number; comment: string | null }[] =
      await knex('scores').whereIn('bidId', ids);
    const byBid = new Map<string, typeof scores>();
    for (const s of scores) byBid.set(s.bidId, [...(byBid.get(s.bidId) ?? []), s]);
    const money = (pence: number) => pence / 100;
    const sheet = (name: string, moneyCols: number[], header: string[], rows: unknown[][]): SheetRows => ({
      name,
      numFmt: new Map(moneyCols.map((c) => [c, MONEY])),
      rows: [header, ...rows],
    });
    const criteria = appraisal.bids[0]?.final.map((f) => f.criterion) ?? [];
    return [
      sheet(
        'Summary',
        [7, 8, 9, 12],
        [
          'Rank',
          'Reference',
          'Title',
          'Lead',
          'Partners',
          'Priorities',
          'ESF',
          'Match',
          'Total',
          'ESF rate',
          'Participants',
          'ESF per participant',
          'Gateway',
          ...criteria,
          'Weighted',
          'Threshold',
          'Recommendation',
          'Decision',
        ],
        appraisal.bids.map((b) => [
          b.rank,
          b.bid.reference,
          b.fields.title,
          b.fields.partners?.find((p) => p.role === 'lead')?.name,
          b.fields.partners?.map((p) => p.name).join('; '),
          b.fields.priorities?.map((p) => p.code).join(', '),
          money(b.version.esfPence),
          money(b.version.matchPence),
          money(b.version.totalEligibleCostPence),
          b.version.esfPence / b.version.totalEligibleCostPence,
          b.version.participants,
          money(Math.round(b.version.esfPence / Math.max(1, b.version.participants))),
          b.gatewayPassed ? 'Passed' : 'Failed',
          ...b.final.map((f) => f.display),
          b.weighted?.percent ?? null,
          b.thresholds.meets ? 'Meets' : 'Below',
          b.recommendation,
          b.decision?.decision ?? '',
        ]),
      ),
      sheet(
        'Gateway',
        [],
        ['Reference', 'Check', 'Passed', 'Message'],
        appraisal.bids.flatMap((b) => b.version.gateway.map((g) => [b.bid.reference, g.code, g.passed, g.message])),
      ),
      sheet(
        'Scores',
        [],
        ['Reference', 'Appraiser', 'Criterion', 'Score', 'Comment', 'Moderated score', 'Rationale'],
        appraisal.bids.flatMap((b) =>
          (byBid.get(b.bid.id) ?? []).map((s) => [
            b.bid.reference,
            names.get(s.appraiserId),
            s.criterion,
            s.score,
            s.comment,
            null,
            null,
          ]),
        ),
      ),
      sheet(
        'Indicators',
        [],
        ['Reference', 'Kind', 'Indicator', 'Target'],
        appraisal.bids.flatMap((b) => [
          ...(b.fields.outputTargets ?? []).map((t) => [b.bid.reference, 'participant', t.indicator, t.target]),
          ...(b.fields.resultTargets ?? []).map((t) => [b.bid.reference, 'result', t.indicator, t.target]),
        ]),
      ),
      sheet(
        'Match funding',
        [6],
        ['Reference', 'Funder', 'Sector', 'Kind', 'Status', 'Amount'],
        appraisal.bids.flatMap((b) =>
          (b.fields.matchFunding ?? []).map((m) => [
            b.bid.reference,
            m.funder,
            m.sector,
            m.kind,
            m.status,
            money(m.amountPence),
          ]),
        ),
      ),
      sheet(
        'Partners',
        [6, 7],
        ['Reference', 'Partner', 'Type', 'Role', 'Charity or company', 'ESF', 'Match'],
        appraisal.bids.flatMap((b) =>
          (b.fields.partners ?? []).map((p) => [
            b.bid.reference,
            p.name,
            p.type,
            p.role,
            p.charityNumber ?? p.companyNumber ?? '',
            money(p.esfPence),
            money(p.matchPence),
          ]),
        ),
      ),
      sheet(
        'Funding plan',
        [3, 4, 5],
        ['Plan', 'Priority', 'Allocation', 'Recommended', 'Remaining'],
        [appraisal.greedy, appraisal.optimal].flatMap((plan, i) =>
          plan.priorities.map((p) => [
            i === 0 ? 'Greedy' : 'Optimal',
            p.code,
            money(p.allocationPence),
            money(p.fundedPence),
            money(p.remainingPence),
          ]),
        ),
      ),
    ];
  } finally {
    await knex.destroy();
  }
}

async function write(sheets: SheetRows[]): Promise<{ seconds: number; bytes: number; rows: number }> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  const started = performance.now();
  // The endpoint's own writer options (server/exports/appraisalWorkbook.ts), so the ratio compares like with like:
  // styles, strings inline, and the zip's default compression (zlib level 1; level 6 took twice as long here).
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
  let rows = 0;
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const width = Math.max(...sheet.rows.slice(0, 50).map((r) => r.length), 1);
    ws.columns = Array.from({ length: width }, (_, i) => ({
      width: 16,
      style: sheet.numFmt.has(i + 1) ? { numFmt: sheet.numFmt.get(i + 1) } : {},
    }));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: width } };
    for (const values of sheet.rows) {
      ws.addRow(values).commit();
      rows += 1;
    }
    ws.commit();
  }
  await workbook.commit();
  return { seconds: (performance.now() - started) / 1000, bytes, rows };
}

const file = process.env.BENCH_XLSX_FILE;
const sheets = file
  ? await readBack(file)
  : await fromAppraisal(process.env.BENCH_DATABASE_URL!, process.env.BENCH_CALL_ID!);
const rowsBySheet = Object.fromEntries(sheets.map((s) => [s.name, s.rows.length]));
// Collected before writing so the writer's peak is not the reader's.
global.gc?.();
const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
const result = await write(sheets);
process.send?.({
  type: 'result',
  source: file ? 'the endpoint’s workbook, read back' : 'rows made from the call’s appraisal',
  ...result,
  rowsBySheet,
  rssBeforeKb,
  maxRssKb: process.resourceUsage().maxRSS,
});
process.disconnect?.();

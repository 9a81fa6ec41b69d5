import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type supertest from 'supertest';
import { aBidBody } from '../support/builders.ts';
import {
  binaryBody,
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  useTestApp,
  type TestApp,
} from '../support/app.ts';
import { aClosedCallWithBids, CRITERIA, scoreBid, type ClosedCall } from '../support/appraisal.ts';
import { downloadWorkbook, rowValues } from '../support/workbook.ts';

const FORMULA_TITLE = '=HYPERLINK("http://x","y")';
const SHEETS = [
  'Summary',
  'Gateway',
  'Scores',
  'Indicators',
  'Match funding',
  'Partners',
  'Funding plan',
  'Clarifications',
  'Audit',
];

/** A bid one penny under the floor: £499,999.99 ESF, fails the gateway. */
function belowFloor() {
  return aBidBody({
    title: 'Under the floor',
    priorities: [
      { code: '1.1', esfPence: 34_999_999 },
      { code: '2.1', esfPence: 15_000_000 },
    ],
    partners: [{ name: 'Lead', type: 'vcs', role: 'lead', esfPence: 49_999_999, matchPence: 60_000_000 }],
    totalEligibleCostPence: 109_999_999,
  });
}

/**
 * Three bids with known answers: A scored 4 throughout (80%, rank 1, recommended, approved); B, titled like a
 * formula, scored 3 with MC moderated from 2.5 to 3 (60%, rank 2, reserve, rejected); C under the floor.
 */
async function aDecidedCall(test: TestApp): Promise<ClosedCall> {
  const closed = await aClosedCallWithBids(test, [aBidBody(), aBidBody({ title: FORMULA_TITLE }), belowFloor()]);
  const { appraisers, bidIds, officer } = closed;
  for (const appraiser of appraisers) await scoreBid(appraiser, bidIds[0], () => 4);
  await scoreBid(appraisers[0], bidIds[1], () => 3);
  await scoreBid(appraisers[1], bidIds[1], (c) => (c === 'MC' ? 2 : 3));
  await officer.agent
    .put(`/api/v1/bids/${bidIds[1]}/moderation`)
    .send({ scores: [{ criterion: 'MC', score: 3, rationale: '+ The panel agreed controls are satisfactory' }] })
    .expect(200);
  await officer.agent.post(`/api/v1/bids/${bidIds[0]}/decision`).send({ decision: 'approved' }).expect(200);
  await officer.agent
    .post(`/api/v1/bids/${bidIds[1]}/decision`)
    .send({ decision: 'rejected', reason: 'No room left in 1.1' })
    .expect(200);
  await officer.agent
    .post(`/api/v1/bids/${bidIds[2]}/decision`)
    .send({ decision: 'rejected', reason: 'Below the floor' })
    .expect(200);
  return closed;
}

function rowOf(sheet: ExcelJS.Worksheet, matches: (values: unknown[]) => boolean): ExcelJS.Row {
  for (let r = 5; r <= sheet.rowCount; r += 1) if (matches(rowValues(sheet, r))) return sheet.getRow(r);
  throw new Error(`No row matches on ${sheet.name}`);
}

describe('appraisal workbook', () => {
  const test = useTestApp();

  it(
    'has its sheets with a title block, frozen headers, autofilters and typed cells of known ' + 'value',
    async function () {
      this.timeout(60_000);
      const { officer, call, bidIds, applicants } = await aDecidedCall(test);
      const { response, workbook } = await downloadWorkbook(officer.agent, call.id);
      expect(response.headers['content-type']).to.equal(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(response.headers['content-disposition']).to.equal(
        `attachment; filename="${call.reference}-appraisal.xlsx"`,
      );
      expect(workbook.worksheets.map((s) => s.name)).to.deep.equal(SHEETS);

      for (const sheet of workbook.worksheets) {
        expect(sheet.getCell('A1').value, sheet.name).to.match(new RegExp(`^${call.reference}: Health and Wellbeing`));
        expect(sheet.getCell('A2').value, sheet.name).to.match(
          /Made on \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm) \(Europe\/London\)/,
        );
        expect(sheet.views[0], sheet.name).to.include({ state: 'frozen', ySplit: 4 });
        expect(sheet.autoFilter, sheet.name)
          .to.be.a('string')
          .and.match(/^A\d+:[A-Z]+\d+$/);
        expect(sheet.getColumn(2).width, sheet.name).to.be.greaterThan(8);
      }

      const summary = workbook.getWorksheet('Summary')!;
      expect(rowValues(summary, 4)).to.deep.equal([
        'Rank',
        'Reference',
        'Title',
        'Lead partner',
        'Partners',
        'Priorities',
        'ESF',
        'Match',
        'Total eligible cost',
        'ESF rate',
        'Participants',
        'ESF per participant',
        'Gateway',
        ...CRITERIA,
        'Weighted score',
        'Quality threshold',
        'Recommendation',
        'Decision',
        'Conditions or reason',
        'Decided',
        'Submitted',
        'Appraised version',
        'Clarifications',
      ]);
      expect(summary.autoFilter).to.equal('A4:AF7');
      const first = summary.getRow(5);
      const bidA = (await test.knex('bids').where({ id: bidIds[0] }).first()).reference;
      expect(first.getCell(1).value).to.equal(1);
      expect(first.getCell(2).value).to.equal(bidA);
      expect(first.getCell(3).value).to.equal('Working Well Together');
      // the lead as its organisation registered, whatever the lead row says
      const lead = await test.knex('organisations').where({ id: applicants[0].actor.organisationId }).first();
      expect(first.getCell(4).value).to.equal(lead.name);
      expect(first.getCell(6).value).to.equal('1.1: £450,000.00; 2.1: £150,000.00');
      expect(first.getCell(7).value).to.equal(600_000);
      expect(first.getCell(7).numFmt).to.equal('£#,##0.00');
      expect(first.getCell(10).value).to.equal(0.5);
      expect(first.getCell(10).numFmt).to.equal('0.00%');
      expect(first.getCell(11).value).to.equal(600);
      expect(first.getCell(12).value).to.equal(1_000);
      expect(first.getCell(13).value).to.equal('Passed');
      expect(first.getCell(14).value).to.equal(4);
      expect(first.getCell(24).value).to.equal(0.8);
      expect(first.getCell(24).numFmt).to.equal('0.00%');
      expect(rowValues(summary, 5).slice(24, 27)).to.deep.equal(['Met', 'Recommended', 'Approved']);
      expect(first.getCell(29).value).to.be.instanceOf(Date);
      expect(first.getCell(29).numFmt).to.equal('dd/mm/yyyy hh:mm');
      expect(first.getCell(30).value).to.be.instanceOf(Date);

      const second = summary.getRow(6);
      expect(second.getCell(1).value).to.equal(2);
      expect(second.getCell(16).value).to.equal(3); // MC moderated from 2.5
      expect(second.getCell(24).value).to.equal(0.6);
      expect([second.getCell(26).value, second.getCell(27).value, second.getCell(28).value]).to.deep.equal([
        'Reserve',
        'Rejected',
        'No room left in 1.1',
      ]);
      const third = summary.getRow(7);
      expect(third.getCell(1).value).to.equal(null);
      expect(third.getCell(13).value).to.equal('Failed: GW-FLOOR');
      expect(third.getCell(7).value).to.equal(499_999.99);
      expect(third.getCell(25).value).to.equal('Not scored');

      // Totals: formulas with results added up in pence (600,000 + 600,000 + 499,999.99).
      const totals = summary.getRow(8);
      expect(totals.getCell(2).value).to.equal('Total');
      expect(totals.getCell(7).value).to.deep.equal({ formula: 'SUM(G5:G7)', result: 1_699_999.99 });
      expect(totals.getCell(7).numFmt).to.equal('£#,##0.00');
      expect(totals.getCell(11).value).to.deep.equal({ formula: 'SUM(K5:K7)', result: 1_800 });

      const gateway = workbook.getWorksheet('Gateway')!;
      expect(rowValues(gateway, 4)).to.deep.equal(['Reference', 'Title', 'Check', 'Result', 'Message']);
      const floor = rowOf(gateway, (v) => v[2] === 'GW-FLOOR' && v[1] === 'Under the floor');
      expect(floor.getCell(4).value).to.equal('Failed');
      expect(floor.getCell(5).value).to.be.a('string').and.contain('£');

      const scores = workbook.getWorksheet('Scores')!;
      expect(rowValues(scores, 4)).to.deep.equal([
        'Reference',
        'Title',
        'Criterion',
        'Criterion title',
        'Weight',
        'Score type',
        'Appraiser',
        'Score',
        'Comment or rationale',
        'Scored',
      ]);
      const weak = rowOf(scores, (v) => v[1] === FORMULA_TITLE && v[2] === 'MC' && v[7] === 2);
      expect(weak.getCell(9).value).to.equal('Weak on MC');
      expect(weak.getCell(6).value).to.equal('Appraiser');
      const moderated = rowOf(scores, (v) => v[1] === FORMULA_TITLE && v[2] === 'MC' && v[5] === 'Moderated');
      expect(moderated.getCell(8).value).to.equal(3);
      expect(moderated.getCell(9).value).to.equal('+ The panel agreed controls are satisfactory');
      expect(moderated.getCell(10).value).to.be.instanceOf(Date);
      // 3 bids' worth of rows: 2 scored bids × 10 criteria × 2 appraisers, plus one moderation.
      expect(scores.rowCount).to.equal(4 + 41);

      const indicators = workbook.getWorksheet('Indicators')!;
      const participants = rowOf(indicators, (v) => v[0] === bidA && v[3] === 'P-TOTAL');
      expect(rowValues(indicators, participants.number)).to.deep.equal([
        bidA,
        'Working Well Together',
        'Participant',
        'P-TOTAL',
        participants.getCell(5).value,
        600,
        1_000,
      ]);
      expect(participants.getCell(7).numFmt).to.equal('£#,##0.00');

      const match = workbook.getWorksheet('Match funding')!;
      expect(rowValues(match, 4)).to.deep.equal([
        'Reference',
        'Title',
        'Match funder',
        'Sector',
        'Kind',
        'Status',
        'Amount',
        'Evidence',
      ]);
      const inKind = rowOf(match, (v) => v[0] === bidA && v[4] === 'In kind');
      expect(rowValues(match, inKind.number).slice(2)).to.deep.equal([
        'Volunteer time',
        'Private',
        'In kind',
        'Pending',
        200_000,
        'None',
      ]);
      const matchTotal = match.getRow(match.rowCount);
      expect(matchTotal.getCell(7).value).to.deep.equal({ formula: 'SUM(G5:G10)', result: 1_800_000 });

      const partners = workbook.getWorksheet('Partners')!;
      const college = rowOf(partners, (v) => v[0] === bidA && v[2] === 'Derby College');
      expect(college.getCell(7).value).to.equal('01234567');
      expect(college.getCell(8).value).to.equal(200_000);

      const plan = workbook.getWorksheet('Funding plan')!;
      expect(rowValues(plan, 4)).to.deep.equal([
        'Priority',
        'Title',
        'Allocation',
        'Greedy: recommended',
        'Greedy: remaining',
        'Optimal: funded',
        'Optimal: remaining',
      ]);
      expect(rowValues(plan, 5).filter((v, i) => i !== 1)).to.deep.equal([
        '1.1',
        800_000,
        450_000,
        350_000,
        450_000,
        350_000,
      ]);
      expect(plan.getCell('C8').value).to.deep.equal({ formula: 'SUM(C5:C7)', result: 2_000_000 });
      const funded = rowOf(plan, (v) => v[1] === bidA);
      expect(rowValues(plan, funded.number).slice(6)).to.deep.equal(['Recommended', 'Funded', 'Approved']);
      const reserve = rowOf(plan, (v) => v[1] !== bidA && v[2] === FORMULA_TITLE);
      expect(rowValues(plan, reserve.number).slice(6)).to.deep.equal(['Reserve', 'Not funded', 'Rejected']);
      expect(plan.autoFilter).to.equal(`A${funded.number - 1}:I${reserve.number}`);

      // The audit trail, exported: each bid's events oldest first, with who, when and the state after.
      const audit = workbook.getWorksheet('Audit')!;
      expect(rowValues(audit, 4)).to.deep.equal([
        'Reference',
        'Title',
        'When',
        'Who',
        'Role',
        'What',
        'Before',
        'After',
      ]);
      const decided = rowOf(audit, (v) => v[0] === bidA && v[5] === 'bid.decided');
      const [, , when, , role, , before, after] = rowValues(audit, decided.number);
      expect(when).to.be.instanceOf(Date);
      expect(role).to.equal('officer');
      expect(JSON.parse(before as string)).to.deep.equal({ status: 'submitted' });
      expect(JSON.parse(after as string)).to.include({ status: 'approved' });
      const created = rowOf(audit, (v) => v[0] === bidA);
      expect(created.number).to.be.lessThan(decided.number);
      expect(rowValues(audit, created.number)[5]).to.equal('bid.created');
      expect(rowValues(audit, created.number)[7]).to.match(/^Changed: .*\btitle\b.*\bpartners\b/);
    },
  );

  it('writes a title that looks like a formula as text that no spreadsheet evaluates', async function () {
    this.timeout(120_000);
    const { officer, call } = await aDecidedCall(test);
    const { workbook, buffer } = await downloadWorkbook(officer.agent, call.id);
    const cell = workbook.getWorksheet('Summary')!.getCell('C6');
    expect(cell.value).to.equal(FORMULA_TITLE);
    expect(cell.type).to.equal(ExcelJS.ValueType.String);
    expect(cell.numFmt).to.equal('@');

    // In the file itself: the only formulas are the totals' SUMs.
    const zip = await JSZip.loadAsync(buffer);
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/sheet'))) {
      const xml = await zip.file(name)!.async('string');
      const formulas = [...xml.matchAll(/<f>([^<]*)<\/f>/g)].map((m) => m[1]);
      expect(
        formulas.every((f) => /^SUM\([A-Z]+\d+:[A-Z]+\d+\)$/.test(f)),
        name,
      ).to.equal(true);
    }

    const soffice = await findSoffice();
    if (!soffice) {
      console.warn(
        '      ! SKIPPED the LibreOffice part: soffice is not installed (apt-get install libreoffice-calc-nogui)',
      );
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workbook-'));
    try {
      fs.writeFileSync(path.join(dir, 'appraisal.xlsx'), buffer);
      await promisify(execFile)(
        soffice,
        [
          `-env:UserInstallation=file://${dir}/profile`,
          '--headless',
          // Comma-separated, double-quoted, UTF-8, from the first sheet, each cell as shown.
          '--convert-to',
          'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true',
          '--outdir',
          dir,
          path.join(dir, 'appraisal.xlsx'),
        ],
        { timeout: 90_000 },
      );
      const csv = fs.readFileSync(path.join(dir, 'appraisal.csv'), 'utf8');
      const lines = csv.split('\n');
      expect(lines[5]).to.contain(',"=HYPERLINK(""http://x"",""y"")",');
      expect(lines[5]).to.contain(',60.00%,');
      expect(lines[7]).to.match(/^,Total,,,,,"£1,699,999.99","£1,800,000.00","£3,499,999.99",,"1,800",/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is for the officers of the call's funder alone", async function () {
    this.timeout(60_000);
    const { officer, call, applicants, appraisers } = await aClosedCallWithBids(test, [aBidBody()], 1);
    const url = `/api/v1/calls/${call.id}/appraisal.xlsx`;
    const colleague = await anOfficer(test, officer.actor.funderId!);
    const cases: [string, supertest.Agent, number][] = [
      ['anonymous', anonymous(test), 401],
      ["the bid's applicant", applicants[0].agent, 403],
      ['another applicant', (await anApplicant(test)).agent, 403],
      ['an appraiser on the panel', appraisers[0].agent, 403],
      ['an appraiser of another funder', (await anAppraiser(test, (await anOfficer(test)).actor.funderId!)).agent, 403],
      ['an officer of another funder', (await anOfficer(test)).agent, 404],
      ['an officer of the funder', colleague.agent, 200],
    ];
    for (const [who, agent, status] of cases) {
      const response = await agent.get(url).buffer(true).parse(binaryBody);
      expect(response.status, who).to.equal(status);
      if (status !== 200) expect(response.headers['content-disposition'], who).to.equal(undefined);
    }
    expect((await officer.agent.get('/api/v1/calls/not-a-call/appraisal.xlsx')).status).to.equal(404);
    expect((await officer.agent.get(`/api/v1/calls/${call.id}/appraisal.xlsx?objective=money`)).status).to.equal(422);
  });

  it(
    'runs one full garbage collection once a download is over, where the process exposes ' +
      'one, and none for a refused one',
    async function () {
      this.timeout(60_000);
      const { officer, call, applicants } = await aClosedCallWithBids(test, [aBidBody()], 1);
      const url = `/api/v1/calls/${call.id}/appraisal.xlsx`;
      const exposed = (globalThis as { gc?: () => void }).gc;
      let collections = 0;
      (globalThis as { gc?: () => void }).gc = () => {
        collections += 1;
      };
      // The client has the whole body a little before the route has committed its read-only transaction.
      const settled = () => new Promise((resolve) => setTimeout(resolve, 300));
      try {
        await applicants[0].agent.get(url).expect(403);
        await settled();
        expect(collections, 'after a refusal').to.equal(0);
        await downloadWorkbook(officer.agent, call.id);
        for (let waited = 0; collections === 0 && waited < 5_000; waited += 20)
          await new Promise((resolve) => setTimeout(resolve, 20));
        await settled();
        expect(collections, 'after a download').to.equal(1);
      } finally {
        (globalThis as { gc?: () => void }).gc = exposed;
      }
    },
  );

  it('makes a workbook for a call without submitted bids: headers, no rows, no totals', async function () {
    this.timeout(30_000);
    const { officer, call } = await aClosedCallWithBids(test, [], 0);
    const { workbook } = await downloadWorkbook(officer.agent, call.id);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getCell('B4').value).to.equal('Reference');
    expect(summary.rowCount).to.equal(4);
  });

  it(
    "lists the detail sheets' bids in reference order, each once, and each criterion's " +
      "scores in the appraisers' name order",
    async function () {
      this.timeout(60_000);
      const { officer, call, appraisers, bidIds } = await aClosedCallWithBids(test, [
        aBidBody(),
        aBidBody({ title: 'Second' }),
        aBidBody({ title: 'Third' }),
      ]);
      // Named so that name order is the reverse of panel order.
      await test.knex('users').where({ id: appraisers[0].actor.id }).update({ name: 'Zara Young' });
      await test.knex('users').where({ id: appraisers[1].actor.id }).update({ name: 'Adam Brook' });
      for (const bidId of [bidIds[2], bidIds[0]])
        for (const appraiser of appraisers) await scoreBid(appraiser, bidId, () => 4);
      const { workbook } = await downloadWorkbook(officer.agent, call.id);
      const references: string[] = (
        await test.knex('bids').where({ callId: call.id }).orderBy('reference').select('reference')
      ).map((b: { reference: string }) => b.reference);

      const column = (sheet: string, index: number) => {
        const ws = workbook.getWorksheet(sheet)!;
        const values: unknown[] = [];
        for (let r = 5; r <= ws.rowCount; r += 1) values.push(rowValues(ws, r)[index]);
        return values;
      };
      // Each bid's rows together, without the totals row.
      const inOrder = (values: unknown[]) => values.filter((v, i) => v !== 'Total' && (i === 0 || v !== values[i - 1]));
      for (const sheet of ['Gateway', 'Indicators', 'Match funding', 'Partners'])
        expect(inOrder(column(sheet, 0)), sheet).to.deep.equal(references);
      const scored = (await test.knex('bids').whereIn('id', [bidIds[0], bidIds[2]]).select('reference')).map(
        (b: { reference: string }) => b.reference,
      );
      expect(inOrder(column('Scores', 0))).to.deep.equal(references.filter((r) => scored.includes(r)));
      const appraisersOf = column('Scores', 6);
      for (let i = 0; i < appraisersOf.length; i += 2)
        expect(appraisersOf.slice(i, i + 2), `row ${i + 5}`).to.deep.equal(['Adam Brook', 'Zara Young']);
    },
  );
  it(
    "names the top-level fields each draft event changed, in the drafts' order, as comparing " + 'their JSON would',
    async function () {
      this.timeout(60_000);
      const { officer, call, bidIds } = await aClosedCallWithBids(test, [aBidBody()], 0);
      // [before, after] as JSON text, inserted as they are (numbers included: 1.50 and 1.5 are one number).
      const cases: [string | null, string | null][] = [
        [
          '{"title":"A","summary":"x","partners":[{"name":"P","role":"lead"}]}',
          '{"title":"B","summary":"x","partners":[{"role":"lead","name":"P"}]}',
        ],
        ['{"title":"A","geography":["Derby"]}', '{"title":"A","geography":["Derby"]}'],
        [
          '{"geography":["Derby"],"title":"A","summary":null}',
          '{"title":"A","endDate":"2028-01-01","startDate":"2027-04-01"}',
        ],
        [
          '{"totalEligibleCostPence":1.50,"priorities":[{"code":"1.1"},{"code":"2.1"}]}',
          '{"priorities":[{"code":"2.1"},{"code":"1.1"}],"totalEligibleCostPence":1.5}',
        ],
        [null, '{"title":"T","summary":"S","endDate":"2028-01-01","narrative":{"need":"N"}}'],
        ['{"summary":"gone"}', null],
        [null, null],
      ];
      for (const [before, after] of cases)
        await test.knex('auditEvents').insert({
          actorId: officer.actor.id,
          action: 'bid.updated',
          callId: call.id,
          bidId: bidIds[0],
          before,
          after,
        });
      // What the sheet said when it read the drafts: JSON.stringify of each field as pg parses it.
      const stored: { before: Record<string, unknown> | null; after: Record<string, unknown> | null }[] = await test
        .knex('auditEvents')
        .where({ bidId: bidIds[0], action: 'bid.updated' })
        .orderBy('id')
        .select('before', 'after');
      const expected = stored.map(({ before, after }) => {
        const was = before ?? {};
        const is = after ?? {};
        const changed = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter(
          (key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]),
        );
        return changed.length === 0 ? 'No change' : `Changed: ${changed.join(', ')}`;
      });
      expect(expected.slice(0, 4)).to.deep.equal([
        'Changed: title',
        'No change',
        'Changed: summary, geography, endDate, startDate',
        'Changed: priorities',
      ]);

      const { workbook } = await downloadWorkbook(officer.agent, call.id);
      const audit = workbook.getWorksheet('Audit')!;
      const written: unknown[][] = [];
      for (let r = 5; r <= audit.rowCount; r += 1)
        if (rowValues(audit, r)[5] === 'bid.updated') written.push(rowValues(audit, r));
      expect(written.map((v) => v[7])).to.deep.equal(expected);
      expect(written.every((v) => v[6] === undefined || v[6] === null)).to.equal(true);
    },
  );
});

async function findSoffice(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'soffice');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

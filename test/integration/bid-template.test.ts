import { expect } from 'chai';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import yazl from 'yazl';
import type supertest from 'supertest';
import type { BidFields } from '../../server/bids/types.ts';
import { aBidBody, aCallBody, withoutIdentities } from '../support/builders.ts';
import {
  binaryBody,
  anApplicant,
  anAppraiser,
  anOfficer,
  anonymous,
  useTestApp,
  type TestUser,
  aPublishedCall,
} from '../support/app.ts';
import { snapshot } from '../support/database.ts';
import { aPdf, aPlainZip, someText } from '../support/files.ts';

const FIELDS = [
  'title',
  'summary',
  'startDate',
  'endDate',
  'geography',
  'narrative',
  'partners',
  'priorities',
  'totalEligibleCostPence',
  'matchFunding',
  'outputTargets',
  'resultTargets',
  'gapClaims',
] as const;

function fieldsOf(bid: Record<string, unknown>): Record<string, unknown> {
  return withoutIdentities(Object.fromEntries(FIELDS.filter((key) => key in bid).map((key) => [key, bid[key]])));
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const LABELS: Record<string, Record<string, string>> = {
  type: { vcs: 'VCS', public: 'Public', private: 'Private', education: 'Education', health: 'Health' },
  role: { lead: 'Lead', delivery: 'Delivery' },
  sector: { public: 'Public', private: 'Private' },
  kind: { cash: 'Cash', in_kind: 'In kind' },
  status: { secured: 'Secured', pending: 'Pending' },
};

/** Fills a downloaded template as a bid writer would: pounds, labels from the dropdowns, dates as dates. */
function fill(workbook: ExcelJS.Workbook, body: BidFields): void {
  const bid = workbook.getWorksheet('Bid')!;
  bid.getCell('B3').value = body.title!;
  bid.getCell('B4').value = body.summary!;
  bid.getCell('B5').value = new Date(`${body.startDate}T00:00:00Z`);
  bid.getCell('B6').value = body.endDate!; // typed as text: read the same
  bid.getCell('B7').value = body.geography!.join('; ');
  bid.getCell('B8').value = body.narrative!.need!;
  bid.getCell('B9').value = body.narrative!.activities!;
  bid.getCell('B10').value = body.narrative!.delivery!;
  bid.getCell('B11').value = body.narrative!.management!;
  bid.getCell('B12').value = body.narrative!.crossCuttingThemes!;

  const partners = workbook.getWorksheet('Partners')!;
  body.partners!.forEach((partner, i) => {
    const row = partners.getRow(i + 2);
    row.getCell('A').value = partner.name;
    row.getCell('B').value = LABELS.type[partner.type];
    row.getCell('C').value = LABELS.role[partner.role];
    if (partner.charityNumber) row.getCell('D').value = partner.charityNumber;
    if (partner.companyNumber) row.getCell('E').value = partner.companyNumber;
    row.getCell('F').value = partner.esfPence / 100;
    row.getCell('G').value = partner.matchPence / 100;
  });

  const budget = workbook.getWorksheet('Budget')!;
  body.priorities!.forEach((priority, i) => {
    budget.getCell(`A${i + 2}`).value = priority.code;
    // one amount typed as text, the way people write money
    budget.getCell(`B${i + 2}`).value =
      i === 0 ? `£${(priority.esfPence / 100).toLocaleString('en-GB')}.00` : priority.esfPence / 100;
  });
  budget.getCell('D2').value = body.totalEligibleCostPence! / 100;

  const match = workbook.getWorksheet('Match funding')!;
  body.matchFunding!.forEach((line, i) => {
    const row = match.getRow(i + 2);
    row.getCell('A').value = line.funder;
    row.getCell('B').value = LABELS.sector[line.sector];
    row.getCell('C').value = LABELS.kind[line.kind];
    row.getCell('D').value = line.amountPence / 100;
    row.getCell('E').value = LABELS.status[line.status];
  });

  const targets = workbook.getWorksheet('Targets')!;
  const lines = [
    ...body.outputTargets!.map((target) => ['Output', target] as const),
    ...body.resultTargets!.map((target) => ['Result', target] as const),
  ];
  lines.forEach(([kind, target], i) => {
    const row = targets.getRow(i + 2);
    row.getCell('A').value = kind;
    row.getCell('B').value = target.indicator;
    row.getCell('C').value = target.target;
  });

  const gaps = workbook.getWorksheet('Gap claims')!;
  body.gapClaims!.forEach((claim, i) => {
    gaps.getCell(`A${i + 2}`).value = claim.gapCode;
    gaps.getCell(`B${i + 2}`).value = claim.narrative;
  });
}

/** Rewrites one part of an .xlsx (a zip) with jszip. */
async function withPart(bytes: Buffer, name: string, change: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(bytes);
  zip.file(name, change(await zip.file(name)!.async('string')));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The zip part holding a sheet, found through the workbook's relationships. */
async function partOfSheet(bytes: Buffer, sheet: string): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const workbook = await zip.file('xl/workbook.xml')!.async('string');
  const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
  const id = new RegExp(`<sheet [^>]*name="${sheet}"[^>]*r:id="([^"]+)"`).exec(workbook)![1];
  const target =
    new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ??
    new RegExp(`<Relationship [^>]*Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)![1];
  return `xl/${target.replace(/^\/?xl\//, '')}`;
}

/** Sets the uncompressed size a zip's central directory declares for one entry, leaving its data alone. */
function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const patched = Buffer.from(zip);
  for (let at = 0; at < patched.length - 46; at++) {
    if (patched.readUInt32LE(at) !== 0x02014b50) continue;
    const nameLength = patched.readUInt16LE(at + 28);
    if (patched.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      patched.writeUInt32LE(size, at + 24);
      return patched;
    }
  }
  throw new Error(`No entry ${name}`);
}

let zipBomb: Buffer | undefined;
/** 200 MB of one repeated byte as the first sheet: under 1 MB packed. Built once for the run. */
async function aZipBomb(): Promise<Buffer> {
  if (!zipBomb) {
    // Deflated by zlib through yazl: JSZip's deflate in JavaScript took most of the test's time on a busy machine.
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      '[Content_Types].xml',
    );
    zip.addBuffer(Buffer.alloc(200 * 1024 * 1024, 0x20), 'xl/worksheets/sheet1.xml', { compressionLevel: 1 });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    zipBomb = Buffer.concat(chunks);
  }
  return zipBomb;
}

describe('bid template', () => {
  const test = useTestApp();
  let officer: TestUser;
  let applicant: TestUser;
  let call: { id: string; reference: string; closesAt: string };
  let bid: { id: string };

  beforeEach(async () => {
    officer = await anOfficer(test);
    applicant = await anApplicant(test);
    call = await aPublishedCall(officer);
    bid = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send({}).expect(201)).body;
  });

  async function download(who: TestUser = applicant, query = ''): Promise<Buffer> {
    const response = await who.agent
      .get(`/api/v1/calls/${call.id}/bid-template.xlsx${query}`)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    return response.body as Buffer;
  }

  async function filledTemplate(
    body: BidFields = aBidBody(),
    change?: (workbook: ExcelJS.Workbook) => void,
  ): Promise<Buffer> {
    const workbook = await workbookOf(await download());
    fill(workbook, body);
    change?.(workbook);
    return bytesOf(workbook);
  }

  function upload(bytes: Buffer, who: TestUser = applicant, bidId = bid.id) {
    return who.agent.post(`/api/v1/bids/${bidId}/import`).attach('file', bytes, 'bid.xlsx');
  }

  /** Imports a file that must be refused: answers the response after checking nothing changed. */
  async function refused(bytes: Buffer, status: number): Promise<supertest.Response> {
    const before = await snapshot();
    const response = await upload(bytes);
    expect(response.status, JSON.stringify(response.body)).to.equal(status);
    expect(await snapshot()).to.deep.equal(before);
    return response;
  }

  describe('the template', () => {
    it('has the sheets, header rows, frozen headers and money formats of a bid', async () => {
      const response = await applicant.agent
        .get(`/api/v1/calls/${call.id}/bid-template.xlsx`)
        .buffer(true)
        .parse(binaryBody)
        .expect(200);
      expect(response.headers['content-type']).to.equal(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(response.headers['content-disposition']).to.match(
        new RegExp(`^attachment; filename="?${call.reference}-bid-template\\.xlsx"?$`),
      );
      const workbook = await workbookOf(response.body as Buffer);

      expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal([
        'Instructions',
        'Bid',
        'Partners',
        'Budget',
        'Match funding',
        'Targets',
        'Gap claims',
        'Lists',
      ]);
      expect(workbook.getWorksheet('Lists')!.state).to.equal('hidden');
      const headers = (name: string) => (workbook.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
      expect(headers('Partners')).to.deep.equal([
        'Name',
        'Type',
        'Role',
        'Charity no.',
        'Company no.',
        'ESF (£)',
        'Match (£)',
        'Partner id (leave as it is)',
      ]);
      expect(headers('Budget')).to.deep.equal(['Priority code', 'ESF (£)', undefined, 'Total eligible cost (£)']);
      expect(headers('Match funding')).to.deep.equal([
        'Funder',
        'Sector',
        'Kind',
        'Amount (£)',
        'Status',
        'Evidence file',
        'Declared by',
      ]);
      expect(headers('Targets')).to.deep.equal(['Kind', 'Indicator code', 'Target']);
      expect(headers('Gap claims')).to.deep.equal(['Gap code', 'Narrative']);

      const bidSheet = workbook.getWorksheet('Bid')!;
      const questions = Array.from({ length: 11 }, (_, i) => bidSheet.getCell(`A${i + 2}`).value);
      expect(questions).to.deep.equal([
        'Call reference',
        'Title',
        'Summary',
        'Start date',
        'End date',
        'Geography',
        'Need and gap',
        'Activities',
        'Delivery',
        'Management and control',
        'Cross-cutting themes',
      ]);
      expect(bidSheet.getCell('B2').value).to.equal(call.reference);

      for (const name of ['Bid', 'Partners', 'Budget', 'Match funding', 'Targets', 'Gap claims'])
        expect(workbook.getWorksheet(name)!.views[0], name).to.include({ state: 'frozen', ySplit: 1 });
      // the money columns are formatted for the cells a bid writer types into
      expect(workbook.getWorksheet('Partners')!.getCell('F2').numFmt).to.equal('£#,##0.00');
      expect(workbook.getWorksheet('Partners')!.getCell('G500').numFmt).to.equal('£#,##0.00');
      expect(workbook.getWorksheet('Budget')!.getCell('B2').numFmt).to.equal('£#,##0.00');
      expect(workbook.getWorksheet('Budget')!.getCell('D2').numFmt).to.equal('£#,##0.00');
      expect(workbook.getWorksheet('Match funding')!.getCell('D2').numFmt).to.equal('£#,##0.00');
    });

    it("offers the call's own priority, indicator and gap codes, and the fixed choices, as dropdowns", async () => {
      const workbook = await workbookOf(await download());
      const lists = workbook.getWorksheet('Lists')!;
      const list = (formula: string) => {
        const [, column, from, to] = /^Lists!\$([A-Z])\$(\d+):\$[A-Z]\$(\d+)$/.exec(formula)!;
        return Array.from(
          { length: Number(to) - Number(from) + 1 },
          (_, i) => lists.getCell(`${column}${Number(from) + i}`).value,
        );
      };
      const dropdown = (sheet: string, address: string) => {
        const validation = (
          workbook.getWorksheet(sheet) as unknown as {
            dataValidations: { model: Record<string, ExcelJS.DataValidation> };
          }
        ).dataValidations.model[address];
        expect(validation, `${sheet}!${address}`).to.include({ type: 'list' });
        return list(validation.formulae[0] as string);
      };

      expect(dropdown('Budget', 'A2')).to.deep.equal(['1.1', '1.4', '2.1']);
      expect(dropdown('Budget', 'A1000')).to.deep.equal(['1.1', '1.4', '2.1']);
      expect(dropdown('Gap claims', 'A2')).to.deep.equal([
        'GAP-NEED',
        'GAP-SYSTEM',
        'GAP-GROUPS',
        'GAP-SUSTAIN',
        'GAP-FUTURE',
      ]);
      const indicators = dropdown('Targets', 'B2');
      expect(indicators).to.include.members(['P-TOTAL', 'P-UNEMP', 'P-OFFEND', 'R-UNEMP-EMP', 'R-L3']);
      // in the catalogue, but not an indicator of any of this call's priorities
      expect(indicators).not.to.include('P-EMP');
      expect(dropdown('Targets', 'A2')).to.deep.equal(['Output', 'Result']);
      expect(dropdown('Partners', 'B2')).to.deep.equal(['VCS', 'Public', 'Private', 'Education', 'Health']);
      expect(dropdown('Partners', 'C2')).to.deep.equal(['Lead', 'Delivery']);
      expect(dropdown('Match funding', 'B2')).to.deep.equal(['Public', 'Private']);
      expect(dropdown('Match funding', 'C2')).to.deep.equal(['Cash', 'In kind']);
      expect(dropdown('Match funding', 'E2')).to.deep.equal(['Secured', 'Pending']);
    });

    it("tells the call's reference, deadline in UK time, floor and rate on the Instructions sheet", async () => {
      const workbook = await workbookOf(await download());
      const text = workbook
        .getWorksheet('Instructions')!
        .getSheetValues()
        .flat()
        .filter((v) => typeof v === 'string')
        .join('\n');
      expect(text).to.include(call.reference);
      expect(text).to.include('Health and Wellbeing');
      expect(text).to.include('£500,000.00');
      expect(text).to.include('at most 50%');
      const deadline = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/London',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }).format(new Date(call.closesAt));
      expect(text).to.include(`${deadline} at `);
      expect(text).to.include('(UK time)');
      expect(text).to.include('450000.50');
    });

    it(
      'goes to any applicant or officer for a published call; 401 without signing in, 403 for ' + 'appraisers',
      async () => {
        const otherOfficer = await anOfficer(test);
        const stranger = await anApplicant(test);
        const appraiser = await anAppraiser(test, officer.actor.funderId!);
        const path = `/api/v1/calls/${call.id}/bid-template.xlsx`;
        expect((await officer.agent.get(path)).status).to.equal(200);
        expect((await otherOfficer.agent.get(path)).status).to.equal(200);
        expect((await stranger.agent.get(path)).status).to.equal(200);
        expect((await appraiser.agent.get(path)).status).to.equal(403);
        expect((await anonymous(test).get(path)).status).to.equal(401);
      },
    );

    it("answers a draft call's template with 404 except to its own funder's officers", async () => {
      const draft = (await officer.agent.post('/api/v1/calls').send(aCallBody()).expect(201)).body;
      const path = `/api/v1/calls/${draft.id}/bid-template.xlsx`;
      expect((await applicant.agent.get(path)).status).to.equal(404);
      expect((await (await anOfficer(test)).agent.get(path)).status).to.equal(404);
      expect((await officer.agent.get(path)).status).to.equal(200);
    });

    it("pre-fills from the applicant's own draft with ?bidId=, which reads back unchanged", async () => {
      const letter = (
        await applicant.agent
          .post(`/api/v1/bids/${bid.id}/attachments`)
          .attach('file', aPdf(), 'council-letter.pdf')
          .expect(201)
      ).body;
      const body = aBidBody();
      body.matchFunding![0].evidenceAttachmentId = letter.id;
      const saved = (await applicant.agent.put(`/api/v1/bids/${bid.id}`).send(body).expect(200)).body;

      const template = await download(applicant, `?bidId=${bid.id}`);
      const workbook = await workbookOf(template);
      expect(workbook.getWorksheet('Partners')!.getCell('F2').value).to.equal(400_000);
      expect(workbook.getWorksheet('Match funding')!.getCell('F2').value).to.equal('council-letter.pdf');
      expect(workbook.getWorksheet('Targets')!.getCell('A4').value).to.equal('Result');

      const imported = (await upload(template).expect(200)).body;
      expect(fieldsOf(imported)).to.deep.equal(fieldsOf(saved));

      const stranger = await anApplicant(test);
      expect((await stranger.agent.get(`/api/v1/calls/${call.id}/bid-template.xlsx?bidId=${bid.id}`)).status).to.equal(
        404,
      );
    });
  });

  describe('importing', () => {
    it('makes the same bid from the filled template as the JSON API makes from the same content', async () => {
      const viaJson = (await applicant.agent.post(`/api/v1/calls/${call.id}/bids`).send(aBidBody()).expect(201)).body;

      const response = await upload(await filledTemplate()).expect(200);
      expect(response.body).to.include({ id: bid.id, status: 'draft' });

      const imported = (await applicant.agent.get(`/api/v1/bids/${bid.id}`).expect(200)).body;
      const expected = (await applicant.agent.get(`/api/v1/bids/${viaJson.id}`).expect(200)).body;
      expect(fieldsOf(imported)).to.deep.equal(fieldsOf(expected));
      expect(fieldsOf(imported)).to.deep.equal(fieldsOf(aBidBody() as Record<string, unknown>));
      const actions = (await test.knex('auditEvents').where({ bidId: bid.id }).orderBy('id')).map((e) => e.action);
      expect(actions).to.deep.equal(['bid.created', 'bid.updated']);
      // and it is a bid the service accepts as complete, and the gateway passes
      const submitted = (await applicant.agent.post(`/api/v1/bids/${bid.id}/submit`).expect(200)).body;
      expect(submitted.gateway.passed).to.equal(true);
    });

    it('reads money exactly into pence: 450000.5 and "£450,000.05", and refuses a third decimal place', async () => {
      const accepted = await filledTemplate(aBidBody(), (workbook) => {
        workbook.getWorksheet('Budget')!.getCell('B2').value = 450000.5;
        workbook.getWorksheet('Budget')!.getCell('B3').value = '£450,000.05';
        workbook.getWorksheet('Budget')!.getCell('D2').value = 1234567.89;
      });
      const saved = (await upload(accepted).expect(200)).body;
      expect(saved.priorities).to.deep.equal([
        { code: '1.1', esfPence: 45_000_050 },
        { code: '2.1', esfPence: 45_000_005 },
      ]);
      expect(saved.totalEligibleCostPence).to.equal(123_456_789);

      const response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Budget')!.getCell('B2').value = 450000.555;
        }),
        422,
      );
      expect(response.body.error.details).to.deep.equal([
        { path: 'Budget!B2', message: 'Enter pounds with at most two decimal places (whole pence)' },
      ]);
    });

    it('reports a typo in a money cell at that cell, and changes nothing', async () => {
      const response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Partners')!.getCell('F3').value = '£45o,000';
        }),
        422,
      );
      expect(response.body.error.details).to.deep.equal([
        { path: 'Partners!F3', message: 'Enter an amount in pounds, like 450000.00 or £450,000.00' },
      ]);
    });

    it('refuses a formula where an amount belongs, at its cell', async () => {
      const response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Partners')!.getCell('F2').value = { formula: 'F3*2', result: 400000 };
          workbook.getWorksheet('Match funding')!.getCell('D3').value = { formula: 'SUM(D2:D2)/2', result: 200000 };
        }),
        422,
      );
      expect(response.body.error.details).to.deep.equal([
        { path: 'Partners!F2', message: 'Type the amount, not a formula' },
        { path: "'Match funding'!D3", message: 'Type the amount, not a formula' },
      ]);
    });

    it("reports every problem at its cell, the bid schema's included, and changes nothing", async () => {
      const response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Bid')!.getCell('B5').value = '31/02/2027';
          workbook.getWorksheet('Bid')!.getCell('B3').value = 'x'.repeat(201);
          workbook.getWorksheet('Partners')!.getCell('A3').value = null; // a partner line without its name
          workbook.getWorksheet('Partners')!.getCell('E3').value = '1234567'; // a company number missing its leading 0
          workbook.getWorksheet('Partners')!.getCell('B2').value = 'Charity';
          workbook.getWorksheet('Targets')!.getCell('C2').value = 'six hundred';
          workbook.getWorksheet('Gap claims')!.getCell('A2').value = 'GAP NEED';
        }),
        422,
      );
      expect(response.body.error.details).to.have.deep.members([
        { path: 'Bid!B5', message: 'Enter the date as YYYY-MM-DD, like 2027-04-01' },
        { path: 'Bid!B3', message: 'Must NOT have more than 200 characters' },
        { path: 'Partners!A3', message: 'Fill this in, or clear the whole line' },
        {
          path: 'Partners!E3',
          message:
            'A company number is 8 digits (keep any leading zeros) or 2 letters and 6 digits, like 01234567 or ' +
            'SC123456',
        },
        { path: 'Partners!B2', message: 'Choose one of: VCS, Public, Private, Education, Health' },
        { path: 'Targets!C2', message: 'Enter a whole number, like 250' },
        {
          path: "'Gap claims'!A2",
          message: 'Must be a code of letters, digits, dots, hyphens or underscores, like 1.1 or GAP-NEED',
        },
      ]);
    });

    it('refuses the template of another call, and one whose columns were moved', async () => {
      let response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Bid')!.getCell('B2').value = 'OC08S17P9999';
        }),
        422,
      );
      expect(response.body.error.details[0].path).to.equal('Bid!B2');
      expect(response.body.error.details[0].message).to.include('OC08S17P9999');

      response = await refused(
        await filledTemplate(aBidBody(), (workbook) => {
          workbook.getWorksheet('Partners')!.spliceColumns(2, 0, ['Notes']);
        }),
        422,
      );
      expect(response.body.error.details.map((d: { path: string }) => d.path)).to.include('Partners!B1');
    });

    it(
      'reads a template whose dropdowns, names and column styles span the whole sheet, without ' + 'expanding them',
      async () => {
        let bytes = await filledTemplate();
        const partners = await partOfSheet(bytes, 'Partners');
        bytes = await withPart(bytes, partners, (xml) =>
          xml
            .replace('<cols>', '<cols><col min="8" max="2000000000" width="9" customWidth="1"/>')
            .replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="H1:XFD1048576"/></mergeCells>')
            .replace(
              '<dataValidations count="2">',
              '<dataValidations count="3"><dataValidation type="list" ' +
                'sqref="A1:XFD1048576"><formula1>Lists!$A$2:$A$4</formula1></dataValidation>',
            ),
        );
        bytes = await withPart(bytes, 'xl/workbook.xml', (xml) =>
          xml.replace(
            '</sheets>',
            '</sheets><definedNames><definedName ' +
              'name="Everything">Partners!$A$1:$XFD$1048576</definedName></definedNames>',
          ),
        );
        // Expanded, these ranges are billions of cells: an import that expanded them would not answer at all before
        // the test's time-out. No timing is asserted here: speed is the benchmark's business.
        const saved = (await upload(bytes).expect(200)).body;
        expect(withoutIdentities(saved).partners).to.deep.equal(aBidBody().partners);
      },
    );

    it('refuses after the deadline with 409, before reading the file', async () => {
      const bytes = await filledTemplate();
      test.clock.set(new Date(Date.parse(call.closesAt) + 1000));
      await refused(bytes, 409);
      await refused(someText(), 409);
    });

    it(
      "lets only the bid's organisation import: another organisation 404, officers and appraisers " +
        '403, anonymous 401',
      async () => {
        const bytes = await filledTemplate();
        const stranger = await anApplicant(test);
        const appraiser = await anAppraiser(test, officer.actor.funderId!);
        const before = await snapshot();
        expect((await upload(bytes, stranger)).status).to.equal(404);
        expect((await upload(bytes, officer)).status).to.equal(403);
        expect((await upload(bytes, appraiser)).status).to.equal(403);
        expect(
          (await anonymous(test).post(`/api/v1/bids/${bid.id}/import`).attach('file', bytes, 'bid.xlsx')).status,
        ).to.equal(401);
        expect(await snapshot()).to.deep.equal(before);
      },
    );
  });

  describe('hostile files', () => {
    it('refuses a file that is not a zip, or a zip that is not a workbook, as not an .xlsx', async () => {
      for (const bytes of [someText(), aPdf(), Buffer.alloc(0, 0), await aPlainZip()]) {
        const response = await refused(bytes, 415);
        expect(response.body.error.message).to.match(/not one/);
      }
    });

    it('refuses a zip bomb from its central directory, without unpacking it', async () => {
      const bomb = await aZipBomb();
      expect(bomb.length).to.be.below(2 * 1024 * 1024);
      // 413 with the limit is the central directory's answer: inflation is capped at each entry's declared size
      // (zipArchive.ts, yauzl), so a bomb is refused by what it declares, before a byte of it is unpacked.
      const response = await refused(bomb, 413);
      expect(response.body.error.message).to.include('50 MB');
    });

    it('refuses a zip whose part unpacks to more than it declares', async () => {
      let bytes = await filledTemplate();
      const partners = await partOfSheet(bytes, 'Partners');
      bytes = await withPart(bytes, partners, (xml) =>
        xml.replace('</sheetData>', `</sheetData>${' '.repeat(30 * 1024 * 1024)}`),
      );
      const response = await refused(declareSize(bytes, partners, 4000), 422);
      expect(response.body.error.details[0].path).to.equal('/file');
    });

    it('refuses a workbook with 100,000 rows on a sheet, naming the sheet', async () => {
      let bytes = await filledTemplate();
      const partners = await partOfSheet(bytes, 'Partners');
      const rows = Array.from(
        { length: 100_000 },
        (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>Partner ${i}</t></is></c></row>`,
      ).join('');
      bytes = await withPart(bytes, partners, (xml) =>
        xml.replace(/<sheetData>[\s\S]*<\/sheetData>/, `<sheetData>${rows}</sheetData>`),
      );
      const response = await refused(bytes, 422);
      expect(response.body.error.details).to.have.length(1);
      expect(response.body.error.details[0].path).to.equal('Partners');
      expect(response.body.error.details[0].message).to.equal(
        'The sheet has 100,000 rows, more than 1,000; a bid template sheet reads rows 1 to 1,000',
      );
    });

    it(
      "refuses a cell far beyond the template's columns, which would make ExcelJS build millions " + 'of columns',
      async () => {
        let bytes = await filledTemplate();
        const budget = await partOfSheet(bytes, 'Budget');
        bytes = await withPart(bytes, budget, (xml) =>
          xml.replace('</sheetData>', '<row r="5"><c r="ZZZZ5"><v>1</v></c></row></sheetData>'),
        );
        const response = await refused(bytes, 422);
        expect(response.body.error.details).to.deep.equal([
          {
            path: 'Budget',
            message: 'The sheet has something in cell ZZZZ5; a bid template sheet reads rows 1 to 1,000',
          },
        ]);
      },
    );
  });
});

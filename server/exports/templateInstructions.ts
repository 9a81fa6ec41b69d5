/** The bid template's Instructions sheet: the call's facts a bid writer needs offline, and how to fill it in. */
import type ExcelJS from 'exceljs';
import type { Call, Indicator } from '../calls/types.ts';
import { formatPounds } from '../shared/money.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { safeText } from './safeText.ts';
import { BID_SHEET, LAST_ROW, TABLES } from '../bids/templateLayout.ts';

/** The indicator codes a bid on this call may target, in the catalogue's order. */
export function callIndicators(call: Call, catalogue: Indicator[]): Indicator[] {
  const used = new Set(call.priorities.flatMap((p) => [...p.participantIndicators, ...p.resultIndicators]));
  return catalogue.filter((indicator) => used.has(indicator.code));
}

function howToFillIn(call: Call): string[] {
  const sheets = [BID_SHEET, ...TABLES.map((table) => table.name)];
  return [
    `Fill in the sheets ${sheets.slice(0, -1).join(', ')} and ${sheets[sheets.length - 1]}. On each list sheet, one line per item from row 2; a blank line is skipped. Rows after ${LAST_ROW.toLocaleString('en-GB')} are not read.`,
    'Type money in pounds with pence, as a number such as 450000 or 450000.50 (the cell shows £450,000.50), or as text such as £450,000.00. At most two decimal places.',
    'Type the amounts and values themselves: a formula in an answer cell is refused, so the template reads exactly what you see.',
    'Type dates as YYYY-MM-DD, for example 2027-04-01. In Geography separate the areas with semicolons, for example Derby; Derbyshire.',
    'Use the dropdowns for priority, indicator and gap codes, organisation types, partner roles, sectors, kinds of match and their status.',
    `Exactly one partner is the lead. The partners' ESF adds up to the ESF across the Budget's priorities, and their match to the match funding declared. ESF plus match equals the total eligible cost, and ESF is at most ${call.interventionRatePercent}% of it.`,
    'Targets: one line per indicator, Kind "Output" for participant indicators (P-…) and "Result" for result indicators (R-…). P-TOTAL, the total number of participants, is always needed.',
    'Match funding evidence: upload each letter of commitment to the bid first, then type its file name in the "Evidence file" column.',
    'Upload the filled template to your draft bid. It replaces everything in the draft with what the template says. If any cell has a problem nothing changes, and each problem is listed with its sheet and cell, such as Partners!F3.',
    'Keep the sheet names and the headings as they are, and do not insert rows or columns above or between them.',
    `Importing does not submit the bid: submit it in the service before the deadline, ${formatLondonDateTime(call.closesAt)} (UK time).`,
  ];
}

/** Fills the Instructions sheet for the call. */
export function writeInstructions(sheet: ExcelJS.Worksheet, call: Call, indicators: Indicator[]): void {
  sheet.columns = [{ width: 36 }, { width: 110 }];
  sheet.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  const heading = (text: string) => {
    const row = sheet.addRow([safeText(text)]);
    row.font = { bold: true, size: 13 };
  };
  const fact = (label: string, value: string) => {
    const row = sheet.addRow([safeText(label), safeText(value)]);
    row.getCell(1).font = { bold: true };
    row.getCell(1).alignment = { vertical: 'top' };
  };

  const title = sheet.addRow([safeText(`Bid template: ${call.title} (${call.reference})`)]);
  title.font = { bold: true, size: 16 };
  sheet.addRow([]);

  heading('The call');
  fact('Reference', call.reference);
  fact('Title', call.title);
  fact('LEP area', call.lepArea);
  fact('Deadline', `${formatLondonDateTime(call.closesAt)} (UK time)`);
  fact(
    'Minimum ESF per bid',
    `${formatPounds(call.minProjectEsfPence)}: a bid asking for less ESF in total fails the gateway`,
  );
  fact('Intervention rate', `ESF may be at most ${call.interventionRatePercent}% of the bid's total eligible cost`);
  fact('Geography', call.geography.join('; '));
  sheet.addRow([]);

  heading('Investment priorities');
  for (const priority of call.priorities)
    fact(
      priority.code,
      `${priority.title}. Allocation ${formatPounds(priority.allocationPence)}. Indicators: ${[...priority.participantIndicators, ...priority.resultIndicators].join(', ')}`,
    );
  sheet.addRow([]);

  heading('Gaps in provision the call wants filled');
  for (const gap of call.gapCriteria) fact(gap.code, `${gap.title}. ${gap.guidance}`);
  sheet.addRow([]);

  heading('Indicators');
  for (const indicator of indicators)
    fact(indicator.code, `${indicator.kind === 'participant' ? 'Output' : 'Result'}: ${indicator.title}`);
  sheet.addRow([]);

  heading('How to fill it in');
  howToFillIn(call).forEach((step, i) => fact(`${i + 1}.`, step));
}

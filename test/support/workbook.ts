/** Reading the appraisal workbook back as an officer downloads it. */
import ExcelJS from 'exceljs';
import type supertest from 'supertest';
import { binaryBody } from './app.ts';

/** The call's appraisal workbook as the agent downloads it: the response, its bytes and the workbook read back. */
export async function downloadWorkbook(
  agent: supertest.Agent,
  callId: string,
): Promise<{ response: supertest.Response; workbook: ExcelJS.Workbook; buffer: Buffer }> {
  const response = await agent.get(`/api/v1/calls/${callId}/appraisal.xlsx`).buffer(true).parse(binaryBody).expect(200);
  const buffer = response.body as Buffer;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return { response, workbook, buffer };
}

/** The values of one row of a sheet, from column A. */
export function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return (sheet.getRow(row).values as unknown[]).slice(1);
}

/** A sheet's rows below its title block and its header (row 4), each as its values from column A. */
export function dataRows(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 5; r <= sheet.rowCount; r += 1) rows.push(rowValues(sheet, r));
  return rows;
}

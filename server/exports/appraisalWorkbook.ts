/**
 * The appraisal workbook an officer downloads for a call: nine sheets streamed with ExcelJS's streaming writer
 * straight into the response, each written as fast as the zip and the client take it. Everything is read in one
 * read-only REPEATABLE READ transaction, so the appraisal, and the score rows and audit trail streamed from
 * cursors afterwards, all show the same moment even while the panel keeps working.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Actor, AppContext } from '../context.ts';
import { manageCall } from '../access/index.ts';
import { loadIndicators } from '../calls/repository.ts';
import { appraiseCall, type CallAppraisal } from '../appraisal/summary.ts';
import type { PlanObjective } from '../appraisal/plan/types.ts';
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import {
  auditRowsFor,
  scoreRowsFor,
  writeFundingPlan,
  writeAudit,
  writeClarifications,
  writeGateway,
  writeIndicators,
  writeMatchFunding,
  writePartners,
  writeScores,
  writeSummary,
  type WorkbookAppraisal,
  type WorkbookInput,
} from './appraisalSheets.ts';
import { appraisedBidIdsByReference, startEarly } from './exportQueries.ts';
import { clarificationsFor, type Clarification } from '../bids/clarificationRepository.ts';
import type { SheetWriter } from './workbookSheets.ts';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Thrown when the client goes away mid-download: nothing to report, the reading simply stops. */
export class DownloadAborted extends Error {
  constructor() {
    super('The client closed the connection before the download finished');
  }
}

/** Waits for the zip and a slow client between pages, and stops the work once the client has gone. */
function clientWatch(stream: Writable) {
  let gone = false;
  const closed = new Promise<never>((_resolve, reject) => {
    stream.once('close', () => {
      if (stream.writableFinished) return;
      gone = true;
      reject(new DownloadAborted());
    });
  });
  closed.catch(() => {});
  return {
    async pause(sheet: SheetWriter): Promise<void> {
      if (gone || stream.destroyed) throw new DownloadAborted();
      if (stream.writableNeedDrain) await Promise.race([once(stream, 'drain'), closed]);
      await Promise.race([sheet.zipBacklog(), closed]);
    },
    async commit(sheet: SheetWriter): Promise<void> {
      if (gone || stream.destroyed) throw new DownloadAborted();
      await Promise.race([sheet.commit(), closed]);
    },
    finished<T>(work: Promise<T>): Promise<T> {
      return Promise.race([work, closed]);
    },
  };
}

/**
 * The appraisal without what no sheet shows and the whole download would otherwise hold: the bid rows come with
 * their drafts (narratives and all), and the sheets need only each bid's id and reference.
 */
function workbookAppraisal(appraisal: CallAppraisal): WorkbookAppraisal {
  return {
    ...appraisal,
    bids: appraisal.bids.map((b) => ({ ...b, bid: { id: b.bid.id, reference: b.bid.reference } })),
  };
}

/** A file name made of the call reference, safe in a Content-Disposition header. */
function workbookFilename(reference: string): string {
  return `${reference.replace(/[^A-Za-z0-9._-]/g, '_')}-appraisal.xlsx`;
}

/**
 * Streams the appraisal workbook of one of the officer's calls. Access is checked and the appraisal computed
 * before `open` is called with the file name, so a refusal is still an ordinary error response; after that the
 * workbook goes into the stream `open` returns, sheet by sheet.
 */
export async function streamAppraisalWorkbook(
  ctx: AppContext,
  actor: Actor,
  callId: string,
  objective: PlanObjective,
  open: (filename: string) => Writable,
): Promise<void> {
  await ctx.knex.transaction(
    async (trx) => {
      const { call } = await manageCall({ ...ctx, knex: trx }, actor, callId);
      const appraisal = workbookAppraisal(await appraiseCall(trx, call, { objective, planCache: ctx.knex }));
      const byId = new Map(appraisal.bids.map((b) => [b.bid.id, b]));
      const byReference = (await appraisedBidIdsByReference(trx, call.id)).map((id) => byId.get(id)!);
      const indicatorTitles = new Map((await loadIndicators(trx)).map((i) => [i.code, i.title]));
      const clarifications = new Map<string, Clarification[]>();
      for (const c of await clarificationsFor(trx, [...byId.keys()]))
        clarifications.set(c.bidId, [...(clarifications.get(c.bidId) ?? []), c]);
      const madeAt = ctx.clock.now();
      const madeOn = formatLondonDateTime(madeAt);

      const stream = open(workbookFilename(call.reference));
      const client = clientWatch(stream);
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
      workbook.creator = 'Funding calls';
      workbook.created = ctx.clock.now();
      const input: WorkbookInput = {
        workbook,
        db: trx,
        call,
        appraisal,
        byReference,
        indicatorTitles,
        clarifications,
        madeAt,
        pause: client.pause,
        commit: client.commit,
        title: (sheet, about) => ({
          heading: `${call.reference}: ${call.title}`,
          madeOn: `Appraisal workbook, ${sheet}. Made on ${madeOn} (Europe/London).`,
          about,
        }),
      };
      // One sheet at a time: the zip takes its parts in order, so a sheet written early would wait in memory. The
      // queries of the two long sheets start a few sheets ahead, so the database sorts their rows (0.1 s or so
      // each) while the sheets before them are written; one after the other, as the transaction has one connection.
      const scoreRows = startEarly(scoreRowsFor(input));
      try {
        await writeSummary(input);
        await writeGateway(input);
        await writeScores(input, scoreRows);
      } finally {
        await scoreRows.close();
      }
      const auditRows = startEarly(auditRowsFor(input));
      try {
        await writeIndicators(input);
        await writeMatchFunding(input);
        await writePartners(input);
        await writeFundingPlan(input);
        await writeClarifications(input);
        await writeAudit(input, auditRows);
      } finally {
        await auditRows.close();
      }
      await client.finished(workbook.commit());
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

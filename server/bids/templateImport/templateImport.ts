/**
 * An applicant fills their draft from a filled template: the file is opened safely, read cell by cell, checked
 * against the bid schema, and saved through the bids service's replaceBid, so the schema, deadline and audit
 * rules are the JSON API's own. Every problem is reported at its cell; a file with any problem changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, AppContext } from '../../context.ts';
import { ownBid } from '../../access/index.ts';
import { attachmentsOf } from '../repository.ts';
import { replaceBid, type BidView } from '../service.ts';
import { refuseAfterDeadline } from '../deadlineLock.ts';
import { Validation, type ErrorDetail } from '../../errors.ts';
import { validate } from '../../validation.ts';
import type { BidRow } from '../../models/bids.ts';
import type { BidFields } from '../types.ts';
import type { CallRow } from '../../models/calls.ts';
import { readBidTemplate, type TemplateReading } from './templateReader.ts';
import { openUploadedWorkbook, type WorkbookLimits } from './uploadedWorkbook.ts';

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The partners read keep their identities: a line with an id keeps it; one without takes the id of the stored
 * partner of the same name (that no other line claims), else a new one. Each match line's "Declared by" name
 * becomes that partner's id; a name the Partners sheet does not have is a problem at its cell.
 */
function withPartnersMatched(reading: TemplateReading, stored: BidFields): ErrorDetail[] {
  const partners = reading.fields.partners ?? [];
  const claimed = new Set(partners.map((partner) => partner.id).filter((id) => id !== undefined));
  for (const partner of partners) {
    if (partner.id !== undefined || typeof partner.name !== 'string') continue;
    const match = (stored.partners ?? []).find((p) => p.id && !claimed.has(p.id) && sameName(p.name, partner.name));
    partner.id = match?.id ?? randomUUID();
    claimed.add(partner.id);
  }
  const problems: ErrorDetail[] = [];
  (reading.fields.matchFunding ?? []).forEach((line, i) => {
    const named = line.partnerId;
    if (named === undefined) return;
    const partner = partners.find((p) => p.id === named) ?? partners.find((p) => sameName(p.name ?? '', named));
    if (partner) line.partnerId = partner.id;
    else
      problems.push({
        path: reading.locate(`/matchFunding/${i}/partnerId`) ?? `/matchFunding/${i}/partnerId`,
        message:
          `No partner on the Partners sheet is called "${named}"; use a name from column A there, ` +
          'or leave it blank for the lead',
      });
  });
  return problems;
}

/** The schema's problems with the fields read, each moved to the cell it came from. */
function atCells(reading: TemplateReading, details: ErrorDetail[]): ErrorDetail[] {
  return details.map((detail) => {
    const ref = reading.locate(detail.path);
    if (!ref) return detail;
    // the schema's words are about JSON; a bid writer needs to hear about the cell
    if (detail.message.startsWith('Required field'))
      return { path: ref, message: 'Fill this in, or clear the whole line' };
    // a pattern's own words describe the JSON value; the column's hint says how to type it in the cell
    const hint = /^Must (match|be a)/.test(detail.message) ? reading.hintAt(ref) : undefined;
    return { path: ref, message: hint ?? detail.message };
  });
}

function schemaProblems(reading: TemplateReading): ErrorDetail[] {
  try {
    validate('bid.update.schema.json', reading.fields);
    return [];
  } catch (error) {
    if (error instanceof Validation) return atCells(reading, error.details);
    throw error;
  }
}

/**
 * The actor's own bid, if its draft may be replaced now (404 for another organisation's, 409 after the deadline).
 * Checked before the upload is read, so nobody else's file is taken in and a late one hears about the deadline.
 */
export async function importableBid(
  ctx: AppContext,
  actor: Actor,
  bidId: string,
): Promise<{ bid: BidRow; call: CallRow }> {
  const found = await ownBid(ctx, actor, bidId);
  const { call } = found;
  refuseAfterDeadline(call, ctx.clock.now());
  return found;
}

/** An applicant replaces their draft with what a filled template says; 422 naming each problem's cell. */
export async function importBidTemplate(
  ctx: AppContext,
  actor: Actor,
  bidId: string,
  bytes: Buffer,
  limits?: WorkbookLimits,
): Promise<BidView> {
  const { bid, call } = await importableBid(ctx, actor, bidId);
  const workbook = await openUploadedWorkbook(bytes, limits);
  const reading = readBidTemplate(workbook, {
    callReference: call.reference,
    files: await attachmentsOf(ctx.knex, bid.id),
  });
  reading.problems.push(...withPartnersMatched(reading, bid.draft));
  const found = new Set(reading.problems.map((problem) => problem.path));
  // a cell that could not be read is also missing to the schema: say it once
  const problems = [...reading.problems, ...schemaProblems(reading).filter((problem) => !found.has(problem.path))];
  if (problems.length > 0) throw new Validation('The template has problems; nothing was changed', problems);

  try {
    return await replaceBid(ctx, actor, bidId, reading.fields);
  } catch (error) {
    // the service's own checks (evidence files belong to the bid) speak in JSON pointers too
    if (error instanceof Validation)
      throw new Validation(error.message, atCells(reading, error.details), error.omittedDetails);
    throw error;
  }
}

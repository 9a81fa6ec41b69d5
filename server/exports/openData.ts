/**
 * Open data: a decided call's awarded bids as a 360Giving Data Standard package (version 1.4), one grant per
 * bid approved with or without conditions. Identifiers follow org-id.guide: GB-CHC-<charity number>,
 * GB-COH-<company number> with its leading zeros; what has neither gets one under the publisher's own prefix.
 */
import type { Actor, AppContext } from '../context.ts';
import type { Config } from '../config.ts';
import { AppError, Conflict } from '../errors.ts';
import type { CallRow } from '../models/calls.ts';
import { readCall } from '../access/index.ts';
import { callStatus } from '../calls/status.ts';
import { awardedBids, funderName, type AwardedBid } from './exportQueries.ts';
import { londonDate } from '../shared/londonDates.ts';

const PACKAGE_VERSION = '1.4';

export interface Organisation {
  id: string;
  name: string;
  charityNumber?: string;
  companyNumber?: string;
}

/** The grant identifier prefix, "360G-" and the publisher's part, whether or not the setting starts with "360G-". */
export function grantPrefix(setting: string): string {
  return setting.startsWith('360G-') ? setting : `360G-${setting}`;
}

/** An org-id.guide identifier from a charity or company number (as registered: spaces dropped, zeros kept). */
export function orgIdentifier(numbers: {
  charityNumber?: string | null;
  companyNumber?: string | null;
}): string | null {
  const charity = numbers.charityNumber?.replace(/\s+/g, '').toUpperCase();
  if (charity) return `GB-CHC-${charity}`;
  const company = numbers.companyNumber?.replace(/\s+/g, '').toUpperCase();
  if (company) return `GB-COH-${company}`;
  return null;
}

/**
 * The recipient: the organisation that made the bid, as it registered (bids/registeredLead.ts), never what the
 * lead row types; under its charity or company number, else an identifier of the publisher's own.
 */
function recipientOf(bid: AwardedBid, prefix: string): Organisation {
  const name = bid.organisationName;
  const charityNumber = bid.organisationCharityNumber;
  const companyNumber = bid.organisationCompanyNumber;
  const id = orgIdentifier({ charityNumber, companyNumber });
  if (!id) return { id: `${prefix}-ORG-${bid.organisationId}`, name };
  return { id, name, ...(charityNumber ? { charityNumber } : {}), ...(companyNumber ? { companyNumber } : {}) };
}

/** One 360Giving grant for an awarded bid. */
function grantOf(bid: AwardedBid, call: CallRow, funder: Organisation, prefix: string) {
  const { fields } = bid;
  return {
    id: `${prefix}-${bid.reference}`,
    title: fields.title ?? bid.reference,
    description: fields.summary ?? '',
    currency: 'GBP',
    // Pounds from whole pence: the nearest double to the two-decimal amount, which JSON writes exactly.
    amountAppliedFor: bid.esfPence / 100,
    amountAwarded: bid.esfPence / 100,
    awardDate: londonDate(bid.decidedAt),
    ...(fields.startDate && fields.endDate
      ? { plannedDates: [{ startDate: fields.startDate, endDate: fields.endDate }] }
      : {}),
    recipientOrganization: [recipientOf(bid, prefix)],
    fundingOrganization: [funder],
    grantProgramme: [{ code: call.reference, title: call.title }],
    beneficiaryLocation: (fields.geography ?? []).map((name) => ({ name, countryCode: 'GB' })),
    fromOpenCall: 'Yes',
    dateModified: bid.decidedAt.toISOString(),
  };
}

/** The funder as a 360Giving organisation: its configured org-id, else one under the publisher's prefix. */
function funderOf(config: Config, call: CallRow, name: string): Organisation {
  const prefix = grantPrefix(config.openDataPrefix);
  const configured = Object.hasOwn(config.openDataFunderIds, name) ? config.openDataFunderIds[name] : undefined;
  return { id: configured ?? `${prefix}-FUNDER-${call.funderId}`, name };
}

/**
 * Anyone may have a decided call's grants as a 360Giving package. A call nobody may see is not found; a
 * call not yet decided is a conflict; a decided call that awarded nothing has no package to give (the
 * standard needs at least one grant).
 */
export async function openDataPackage(ctx: AppContext, actor: Actor | undefined, callId: string) {
  const { call } = await readCall(ctx, actor, callId);
  const status = callStatus(call.stage, call.closesAt, ctx.clock.now());
  if (status !== 'decided')
    throw new Conflict(`Open data is published once every bid on the call has its decision; this call is ${status}`);
  const bids = await awardedBids(ctx.knex, call.id);
  if (bids.length === 0)
    throw new AppError(404, 'not-found', 'This call awarded no grants, so it has no 360Giving data');
  const prefix = grantPrefix(ctx.config.openDataPrefix);
  const funder = funderOf(ctx.config, call, await funderName(ctx.knex, call.funderId));
  const publisher = ctx.config.openDataPublisher;
  const modified = new Date(Math.max(...bids.map((b) => b.decidedAt.getTime())));
  return {
    version: PACKAGE_VERSION,
    title: `${call.reference}: ${call.title}: grants awarded`,
    identifier: `${prefix}-${call.reference}`,
    modified: modified.toISOString(),
    license: ctx.config.openDataLicense,
    publisher: {
      name: publisher.name,
      ...(publisher.identifier ? { identifier: publisher.identifier } : {}),
      ...(publisher.website ? { website: publisher.website } : {}),
    },
    grants: bids.map((bid) => grantOf(bid, call, funder, prefix)),
  };
}

/**
 * The submission's receipt by e-mail: one message to each member of every organisation in the bid (the lead and
 * each partner that has joined), in the submission's transaction.
 */
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';
import { consortiumOf, membersOf } from './recipients.ts';
import type { Partner } from './types.ts';

export interface SubmittedReceipt {
  bidId: string;
  reference: string;
  title: string | undefined;
  /** The lead: the organisation that owns the bid. */
  organisationId: string;
  /** The bid's partner rows: those a partner organisation has joined get the receipt too. */
  partners: readonly Partner[] | undefined;
  call: { id: string; title: string };
  version: number;
  submittedAt: Date;
  sha256: string;
}

/** Queues the receipt of `receipt` to every member of the consortium, once per version and member. */
export async function queueSubmissionReceipt(
  ctx: AppContext,
  trx: Knex.Transaction,
  receipt: SubmittedReceipt,
): Promise<void> {
  const members = await membersOf(trx, consortiumOf(receipt, { partners: receipt.partners?.slice() }));
  // Each member reads that the lead submitted it, whichever organisation they belong to.
  const lead = members.find((m) => m.organisationId === receipt.organisationId)?.organisationName;
  for (const member of members)
    await queueMail(ctx, trx, {
      to: member.email,
      template: 'bid-receipt',
      data: {
        recipientName: member.name,
        organisationName: lead ?? member.organisationName ?? '',
        callTitle: receipt.call.title,
        title: receipt.title || receipt.reference,
        reference: receipt.reference,
        version: receipt.version,
        submittedAt: receipt.submittedAt,
        sha256: receipt.sha256,
        link: mailLink(ctx, `/bids/${receipt.bidId}/submitted`),
      },
      bidId: receipt.bidId,
      callId: receipt.call.id,
      dedupeKey: `receipt:${receipt.bidId}:${receipt.version}:${member.email.toLowerCase()}`,
    });
}

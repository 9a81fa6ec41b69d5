/** The submission's receipt by e-mail: one message to each member of the bid's organisation, in its transaction. */
import type { Knex } from 'knex';
import type { AppContext } from '../context.ts';
import { mailLink, queueMail } from '../mail/outbox.ts';

export interface SubmittedReceipt {
  bidId: string;
  reference: string;
  title: string | undefined;
  organisationId: string;
  call: { id: string; title: string };
  version: number;
  submittedAt: Date;
  sha256: string;
}

/** Queues the receipt of `receipt` to every member of the bid's organisation, once per version and member. */
export async function queueSubmissionReceipt(
  ctx: AppContext,
  trx: Knex.Transaction,
  receipt: SubmittedReceipt,
): Promise<void> {
  const members: { id: string; email: string; name: string; organisationName: string }[] = await trx('users as u')
    .join('organisations as o', 'o.id', 'u.organisationId')
    .where('u.organisationId', receipt.organisationId)
    .select('u.id', 'u.email', 'u.name', 'o.name as organisationName')
    .orderBy('u.email');
  for (const member of members)
    await queueMail(ctx, trx, {
      to: member.email,
      template: 'bid-receipt',
      data: {
        recipientName: member.name,
        organisationName: member.organisationName,
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
      dedupeKey: `receipt:${receipt.bidId}:${receipt.version}:${member.id}`,
    });
}

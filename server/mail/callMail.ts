/** The e-mail sent about one call, as its officers see it: each message's recipient, subject and how it went. */
import type { AppContext } from '../context.ts';
import type { CallMailReader } from '../access/index.ts';

export interface CallMailRow {
  id: number;
  to: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  queuedAt: Date;
  sentAt: Date | null;
  failedAt: Date | null;
  nextAttemptAt: Date;
}

/** The newest `limit` messages about the call (newest first), and how many there are in all. */
export async function mailAboutCall(
  ctx: AppContext,
  reached: CallMailReader,
  limit = 500,
): Promise<{ rows: CallMailRow[]; total: number }> {
  const rows: CallMailRow[] = await ctx
    .knex('mail_outbox')
    .where('callId', reached.call.id)
    .orderBy([
      { column: 'queuedAt', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit)
    .select(
      'id',
      'toAddress as to',
      'subject',
      'status',
      'attempts',
      'lastError',
      'queuedAt',
      'sentAt',
      'failedAt',
      'nextAttemptAt',
    );
  const [{ total }] = await ctx.knex('mail_outbox').where('callId', reached.call.id).count({ total: '*' });
  return { rows: rows.map((row) => ({ ...row, id: Number(row.id) })), total: Number(total) };
}

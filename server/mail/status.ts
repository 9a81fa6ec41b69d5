/** What an operator asks of the outbox: how much waits, since when, and what failed and why. */
import type { Knex } from 'knex';

export interface MailStatus {
  pending: number;
  sent: number;
  failed: number;
  /** Seconds the oldest pending message has waited; undefined when none waits. */
  oldestPendingSeconds: number | undefined;
  /** The failed messages, newest first (at most `limit`). */
  failures: { id: number; to: string; subject: string; attempts: number; failedAt: Date; reason: string }[];
  /** Pending messages that have failed at least once, with why (at most `limit`). */
  retrying: { id: number; to: string; subject: string; attempts: number; nextAttemptAt: Date; reason: string }[];
}

/** The outbox's figures at `now`, with up to `limit` failed and `limit` retrying messages. */
export async function mailStatus(knex: Knex, now: Date, limit = 50): Promise<MailStatus> {
  const [counts] = await knex('mail_outbox').select(
    knex.raw("count(*) filter (where status = 'pending')::int as pending"),
    knex.raw("count(*) filter (where status = 'sent')::int as sent"),
    knex.raw("count(*) filter (where status = 'failed')::int as failed"),
    knex.raw("min(queued_at) filter (where status = 'pending') as oldest"),
  );
  const failures = await knex('mail_outbox')
    .where('status', 'failed')
    .orderBy([
      { column: 'failedAt', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit)
    .select('id', 'toAddress as to', 'subject', 'attempts', 'failedAt', 'lastError as reason');
  const retrying = await knex('mail_outbox')
    .where('status', 'pending')
    .whereNotNull('lastError')
    .orderBy([{ column: 'nextAttemptAt' }, { column: 'id' }])
    .limit(limit)
    .select('id', 'toAddress as to', 'subject', 'attempts', 'nextAttemptAt', 'lastError as reason');
  const oldest = counts.oldest ? new Date(counts.oldest).getTime() : undefined;
  return {
    pending: counts.pending,
    sent: counts.sent,
    failed: counts.failed,
    oldestPendingSeconds: oldest === undefined ? undefined : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
    failures: failures.map((row) => ({ ...row, id: Number(row.id) })),
    retrying: retrying.map((row) => ({ ...row, id: Number(row.id) })),
  };
}

/** A duration in the largest units that say it: 45s, 12m 5s, 3h 20m, 2d 4h. */
export function formatAge(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let left = Math.round(seconds);
  for (const [unit, size] of units) {
    const amount = Math.floor(left / size);
    left -= amount * size;
    if (amount > 0 || (unit === 's' && parts.length === 0)) parts.push(`${amount}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** The status as `npm run mail:status` prints it. */
export function formatMailStatus(status: MailStatus): string {
  const lines = [
    `pending ${status.pending}, sent ${status.sent}, failed ${status.failed}`,
    status.oldestPendingSeconds === undefined
      ? 'nothing waits'
      : `oldest pending waited ${formatAge(status.oldestPendingSeconds)}`,
  ];
  if (status.retrying.length > 0) {
    lines.push('', 'to be retried:');
    for (const row of status.retrying)
      lines.push(
        `  #${row.id} to ${row.to} "${row.subject}": ${row.attempts} attempts, next ` +
          `${row.nextAttemptAt.toISOString()}: ${row.reason}`,
      );
  }
  if (status.failures.length > 0) {
    lines.push('', 'failed:');
    for (const row of status.failures)
      lines.push(
        `  #${row.id} to ${row.to} "${row.subject}": ${row.failedAt.toISOString()} after ${row.attempts} ` +
          `attempt${row.attempts === 1 ? '' : 's'}: ${row.reason}`,
      );
  }
  return lines.join('\n') + '\n';
}

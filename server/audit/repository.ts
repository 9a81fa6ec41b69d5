/** Writes and reads the append-only audit trail. */
import type { Knex } from 'knex';
import { AuditEventRow } from '../models/calls.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  callId?: string | null;
  bidId?: string | null;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

/** Appends one event, inside the caller's transaction so it stands or falls with the change it records. */
export async function recordAudit(trx: Knex.Transaction, entry: AuditEntry): Promise<void> {
  await AuditEventRow.query(trx).insert({
    actorId: entry.actorId,
    action: entry.action,
    callId: entry.callId ?? null,
    bidId: entry.bidId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ...(entry.at ? { occurredAt: entry.at } : {}),
  });
}

/** Events about one bid, oldest first. */
export async function auditForBid(knex: Knex, bidId: string, onlyActions?: string[]): Promise<AuditEventRow[]> {
  const query = AuditEventRow.query(knex).where('bidId', bidId).orderBy('id');
  if (onlyActions) query.whereIn('action', onlyActions);
  return query;
}

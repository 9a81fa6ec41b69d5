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
  await auditInsert(trx, entry);
}

/**
 * The insert of one event, for a statement that also makes the change it records (a WITH clause). Given `eachRowOf`,
 * one event for each row of that earlier WITH clause (none when it has none), whose `after` also holds the columns
 * named in `afterColumns` (key in `after`: column of the row): the outbox's event names the row it queued.
 */
export function auditInsert(
  trx: Knex,
  entry: AuditEntry,
  eachRowOf?: { name: string; afterColumns: Record<string, string> },
): Knex.QueryBuilder {
  // jsonb columns get JSON text (pg would send an array as a Postgres array); a missing side is SQL NULL.
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
  const values: Record<string, Knex.Value> = {
    actorId: entry.actorId,
    // The organisation the actor acts for now, kept with the event: it stays the organisation's after they leave.
    actorOrganisationId: entry.actorId
      ? trx.raw('(select organisation_id from users where id = ?)', [entry.actorId])
      : null,
    action: entry.action,
    callId: entry.callId ?? null,
    bidId: entry.bidId ?? null,
    before: json(entry.before),
    after: json(entry.after),
    ...(entry.at ? { occurredAt: entry.at } : {}),
  };
  if (!eachRowOf) return trx('audit_events').insert(values);
  const fromRow = Object.entries(eachRowOf.afterColumns);
  values.after = trx.raw(
    `coalesce(?::jsonb, '{}'::jsonb) || jsonb_build_object(${fromRow.map(() => '?::text, ??').join(', ')})`,
    [values.after, ...fromRow.flat()],
  );
  // insert into audit_events (columns) select values from <the clause>: knex's insert of a select names no columns.
  const columns = Object.keys(values);
  return trx.into(trx.raw(`?? (${columns.map(() => '??').join(', ')})`, ['audit_events', ...columns])).insert(
    trx
      .select(
        trx.raw(
          columns.map(() => '?').join(', '),
          columns.map((column) => values[column]),
        ),
      )
      .from(eachRowOf.name),
  );
}

/** Events about one bid, oldest first. */
export async function auditForBid(knex: Knex, bidId: string, onlyActions?: string[]): Promise<AuditEventRow[]> {
  const query = AuditEventRow.query(knex).where('bidId', bidId).orderBy('id');
  if (onlyActions) query.whereIn('action', onlyActions);
  return query;
}

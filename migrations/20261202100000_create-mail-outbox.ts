import type { Knex } from 'knex';

/**
 * The outbox: every e-mail, written in the transaction of the event that causes it, rendered when queued, and
 * delivered afterwards by whichever server process claims it (a lease, so a process that dies mid-send leaves it
 * to be claimed again).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_outbox', (t) => {
    t.bigIncrements('id');
    t.text('to_address').notNullable();
    t.text('template').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    // The Message-ID header, fixed when queued, so a message sent twice after a lost lease is one to the reader.
    t.text('message_id').notNullable().unique();
    t.uuid('bid_id').references('bids.id').onDelete('RESTRICT');
    t.uuid('call_id').references('calls.id').onDelete('RESTRICT');
    // NULLs are distinct in a unique index: only mail that asks for a key is kept to one.
    t.text('dedupe_key').unique();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'sent', 'failed']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('queued_at', { useTz: true }).notNullable();
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    // A claim: which delivery pass holds the message, and until when; past it, another may take it.
    t.uuid('claim_id');
    t.timestamp('claimed_until', { useTz: true });
    t.text('last_error');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    t.index(['call_id', 'queued_at']);
    t.index(['bid_id']);
  });
  // What delivery scans: the pending messages, by when they are next due.
  await knex.raw("create index mail_outbox_due on mail_outbox (next_attempt_at, id) where status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_outbox');
}

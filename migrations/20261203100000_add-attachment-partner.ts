import type { Knex } from 'knex';

/**
 * Consortium pages. The partner whose part a file belongs to: an evidence letter a delivery partner's member
 * uploaded for the match funding it declares (or the lead uploaded for that part). Null: the bid's own file, the
 * lead's to remove. A partner is a row of the bid's draft (its id in the JSON), so there is no foreign key; a
 * partner removed from the bid leaves its files with the bid, as the lead's to keep or remove.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.uuid('partner_id');
  });
  // A partner's members find the bids their organisation joined by the partner rows of the drafts (a dashboard).
  await knex.raw(`create index bids_draft_partners on bids using gin ((draft -> 'partners') jsonb_path_ops)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index bids_draft_partners');
  await knex.schema.alterTable('attachments', (t) => t.dropColumn('partner_id'));
}

import type { Knex } from 'knex';

/**
 * Consortium pages. The partner whose part a file belongs to: an evidence letter a delivery partner's member
 * uploaded for the match funding it declares (or the lead uploaded for that part). Null: the bid's own file, the
 * lead's to remove. A partner is a row of the bid's draft (its id in the JSON), so there is no foreign key; a
 * partner removed from the bid leaves its files with the bid, as the lead's to keep or remove.
 */
/** The organisation ids of a draft's joined delivery partners, as a JSON array (bids/repository.ts asks the same). */
const JOINED_PARTNERS =
  `jsonb_path_query_array(draft -> 'partners', ` +
  `'$[*] \\? (@.role == "delivery" && @.organisationId != null).organisationId')`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.uuid('partner_id');
  });
  // A partner's members find the bids their organisation joined by the partner rows of the drafts (a dashboard). The
  // index holds only the joined delivery partners' organisation ids, a few entries a bid: one over the whole partner
  // rows held some eighty a bid, and every write of a bid (a submission among them) wrote them all again.
  await knex.raw(`create index bids_joined_partners on bids using gin ((${JOINED_PARTNERS}))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index bids_joined_partners');
  await knex.schema.alterTable('attachments', (t) => t.dropColumn('partner_id'));
}

import type { Knex } from 'knex';

/**
 * A revision on every bid's draft, raised by every change to it: the API answers it as an ETag and refuses a write
 * made against an older one (If-Match). Beside it, the revision at which each top-level field of the draft last
 * changed, so a page saving one section conflicts only when that section changed since the page was drawn.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bids', (t) => {
    t.integer('revision').notNullable().defaultTo(0);
    t.jsonb('field_revisions').notNullable().defaultTo('{}');
  });
  await knex.raw('alter table bids add constraint bids_revision_not_negative check (revision >= 0)');
  // Partners typed in before they had identities get theirs now, as a save would give them: an id, the bid's own
  // organisation for the lead, no completion. Submitted versions keep what was submitted.
  await knex.raw(`
    update bids set draft = jsonb_set(draft, '{partners}', (
      select coalesce(jsonb_agg(
        partner || jsonb_build_object(
          'id', gen_random_uuid(),
          'organisationId',
            case when partner->>'role' = 'lead' then to_jsonb(bids.organisation_id) else 'null'::jsonb end,
          'completedAt', 'null'::jsonb
        ) order by position), '[]'::jsonb)
      from jsonb_array_elements(draft->'partners') with ordinality as list(partner, position)
    ))
    where jsonb_typeof(draft->'partners') = 'array'
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('bids', (t) => {
    t.dropColumn('field_revisions');
    t.dropColumn('revision');
  });
}

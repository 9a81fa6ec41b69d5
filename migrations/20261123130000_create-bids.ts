import type { Knex } from 'knex';

/**
 * Bids: the working draft an applicant edits, the immutable versions they submit (each with its gateway
 * result and the SHA-256 of its canonical JSON), and attachments stored as bytes beside them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    // Numbers the call's bids: reference = call reference + "-" + this sequence.
    t.integer('bid_sequence').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('bids', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('call_id').notNullable().references('calls.id').onDelete('RESTRICT');
    t.uuid('organisation_id').notNullable().references('organisations.id').onDelete('RESTRICT');
    t.text('reference').notNullable().unique();
    t.text('status')
      .notNullable()
      .defaultTo('draft')
      .checkIn(['draft', 'submitted', 'withdrawn', 'approved', 'approved_with_conditions', 'rejected']);
    // The applicant's working copy (BidFields); what was submitted lives in bid_versions.
    t.jsonb('draft').notNullable().defaultTo('{}');
    t.integer('current_version');
    t.uuid('created_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamps(true, true);
    t.index(['call_id', 'status']);
    t.index(['organisation_id']);
  });

  await knex.schema.createTable('bid_versions', (t) => {
    t.bigIncrements('id');
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.integer('version').notNullable();
    t.timestamp('submitted_at', { useTz: true }).notNullable();
    t.uuid('submitted_by').notNullable().references('users.id').onDelete('RESTRICT');
    // The canonical JSON (RFC 8785) of what was submitted, and its SHA-256: the applicant's receipt.
    t.text('canonical_json').notNullable();
    t.string('sha256', 64).notNullable();
    t.jsonb('gateway').notNullable();
    t.boolean('gateway_passed').notNullable();
    t.jsonb('flags').notNullable().defaultTo('[]');
    // Figures the appraisal reads often, copied from the canonical JSON.
    t.bigInteger('esf_pence').notNullable();
    t.bigInteger('match_pence').notNullable();
    t.bigInteger('total_eligible_cost_pence').notNullable();
    t.integer('participants').notNullable();
    t.unique(['bid_id', 'version']);
    t.index(['bid_id']);
  });
  await knex.raw(`
    create function bid_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'submitted bid versions are immutable';
    end $$;
    create trigger bid_versions_no_change before update or delete on bid_versions
      for each row execute function bid_versions_immutable();
  `);

  await knex.schema.createTable('attachments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('bid_id').notNullable().references('bids.id').onDelete('RESTRICT');
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.text('purpose').notNullable().defaultTo('supporting').checkIn(['match-evidence', 'supporting']);
    t.integer('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('data').notNullable();
    t.uuid('uploaded_by').notNullable().references('users.id').onDelete('RESTRICT');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['bid_id']);
  });
  await knex.raw(
    'alter table attachments add constraint attachments_size check (size_bytes > 0 and size_bytes <= 20971520)',
  );
  await knex.raw(
    'alter table attachments add constraint attachments_size_matches check (octet_length(data) = size_bytes)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('attachments');
  await knex.schema.dropTable('bid_versions');
  await knex.raw('drop function bid_versions_immutable()');
  await knex.schema.dropTable('bids');
  await knex.schema.alterTable('calls', (t) => t.dropColumn('bid_sequence'));
}

import type { Knex } from 'knex';

/**
 * A published call's fields as one JSON document, written in the transaction that publishes the call. A
 * published call's rules never change (only its stage, and its deadline if an officer closes it early, which
 * stay in their columns), so its public page and `GET /api/v1/calls/:id` read this one row instead of the call
 * and its three child tables (the busiest reads of a round; found by `npm run bench`).
 *
 * Calls published before this column existed get theirs here, built from their rows as the service builds it
 * (`callFields` in server/calls/presenter.ts); the deadline in it is the one published.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.jsonb('published_fields');
  });
  const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const children = (table: string, fields: string) =>
    `coalesce((select jsonb_agg(jsonb_build_object(${fields}) order by c.position) from ${table} c where c.call_id = calls.id), '[]'::jsonb)`;
  await knex.raw(`
    update calls set published_fields = jsonb_build_object(
      'reference', reference, 'title', title, 'lepArea', lep_area, 'description', description,
      'opensAt', ${iso('opens_at')}, 'closesAt', ${iso('coalesce(scheduled_closes_at, closes_at)')},
      'interventionRatePercent', intervention_rate_percent, 'minProjectEsfPence', min_project_esf_pence,
      'geography', geography, 'eligibleActivities', eligible_activities,
      'priorities', ${children('call_priorities', `'code', c.code, 'title', c.title, 'allocationPence', c.allocation_pence, 'participantIndicators', c.participant_indicators, 'resultIndicators', c.result_indicators`)},
      'gapCriteria', ${children('call_gap_criteria', `'code', c.code, 'title', c.title, 'guidance', c.guidance, 'weight', c.weight`)},
      'appraisalCriteria', ${children('call_appraisal_criteria', `'code', c.code, 'title', c.title, 'guidance', c.guidance, 'weight', c.weight, 'minimumScore', c.minimum_score`)}
    )
    where stage <> 'draft'`);
  await knex.raw(
    `alter table calls add constraint calls_published_fields check ((stage = 'draft') = (published_fields is null))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table calls drop constraint calls_published_fields');
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('published_fields');
  });
}

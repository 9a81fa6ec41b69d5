import type { Knex } from 'knex';

/**
 * Organisations found by charity or company number as registered bodies compare them (spaces dropped, capitals):
 * every submission looks its partner rows' numbers up, and without these each look-up read every organisation.
 * The expressions are those of server/bids/registeredLead.ts, which the planner matches text for text.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `create index organisations_charity_number_normal on organisations ` +
      `((upper(regexp_replace(charity_number, '\\s', '', 'g'))))`,
  );
  await knex.raw(
    `create index organisations_company_number_normal on organisations ` +
      `((upper(regexp_replace(company_number, '\\s', '', 'g'))))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index organisations_company_number_normal');
  await knex.raw('drop index organisations_charity_number_normal');
}

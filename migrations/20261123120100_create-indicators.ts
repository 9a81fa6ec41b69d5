import type { Knex } from 'knex';

/** The indicator catalogue: ESF participant (output) and result indicators, shipped as reference data. */
export const INDICATORS = [
  { code: 'P-TOTAL', kind: 'participant', title: 'Participants (total)', base_cohort: null },
  { code: 'P-UNEMP', kind: 'participant', title: 'Unemployed, including long-term unemployed', base_cohort: 'P-TOTAL' },
  { code: 'P-INACT', kind: 'participant', title: 'Inactive', base_cohort: 'P-TOTAL' },
  { code: 'P-EMP', kind: 'participant', title: 'Employed, including self-employed', base_cohort: 'P-TOTAL' },
  { code: 'P-50PLUS', kind: 'participant', title: 'Participants over 50', base_cohort: 'P-TOTAL' },
  { code: 'P-ETHMIN', kind: 'participant', title: 'Participants from ethnic minorities', base_cohort: 'P-TOTAL' },
  { code: 'P-DISAB', kind: 'participant', title: 'Participants with disabilities', base_cohort: 'P-TOTAL' },
  { code: 'P-NOBASIC', kind: 'participant', title: 'Participants without basic skills', base_cohort: 'P-TOTAL' },
  {
    code: 'P-SAHDC',
    kind: 'participant',
    title: 'Participants who live in a single adult household with dependent children',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'P-OFFEND',
    kind: 'participant',
    title: 'Participants who are offenders or ex-offenders',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-UNEMP-EMP',
    kind: 'result',
    title: 'Unemployed participants into employment (including self-employment) on leaving',
    base_cohort: 'P-UNEMP',
  },
  {
    code: 'R-INACT-EMPJS',
    kind: 'result',
    title: 'Inactive participants into employment or job search on leaving',
    base_cohort: 'P-INACT',
  },
  { code: 'R-BASIC', kind: 'result', title: 'Participants gaining basic skills', base_cohort: 'P-TOTAL' },
  {
    code: 'R-CHILDCARE',
    kind: 'result',
    title: 'Participants with childcare needs receiving childcare support',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-EMP6M',
    kind: 'result',
    title: 'Participants in employment, including self-employment, 6 months after leaving',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-EDTRAIN',
    kind: 'result',
    title: 'Participants in education or training on leaving',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-L2',
    kind: 'result',
    title:
      'Participants gaining level 2 or below or a unit of a level 2 or below qualification (excluding basic skills)',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-L3',
    kind: 'result',
    title: 'Participants gaining level 3 or above or a unit of a level 3 or above qualification',
    base_cohort: 'P-TOTAL',
  },
  {
    code: 'R-FEMALE-LMS',
    kind: 'result',
    title: 'Employed females gaining improved labour market status',
    base_cohort: 'P-TOTAL',
  },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('indicators', (t) => {
    t.text('code').primary();
    t.text('kind').notNullable().checkIn(['participant', 'result']);
    t.text('title').notNullable();
    t.text('base_cohort').references('indicators.code').onDelete('RESTRICT');
    t.integer('position').notNullable();
  });
  await knex('indicators').insert(INDICATORS.map((indicator, position) => ({ ...indicator, position })));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('indicators');
}

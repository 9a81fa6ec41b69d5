/** The indicator catalogue of DESIGN.md, as the gateway reads it: every group and result sits within P-TOTAL. */
import type { Indicator } from '../../../server/calls/types.ts';

const participant = (code: string, title: string): Indicator => ({
  code,
  kind: 'participant',
  title,
  baseCohort: code === 'P-TOTAL' ? null : 'P-TOTAL',
});
const result = (code: string, title: string, baseCohort = 'P-TOTAL'): Indicator => ({
  code,
  kind: 'result',
  title,
  baseCohort,
});

export const INDICATORS: Indicator[] = [
  participant('P-TOTAL', 'Participants (total)'),
  participant('P-UNEMP', 'Unemployed, including long-term unemployed'),
  participant('P-INACT', 'Inactive'),
  participant('P-EMP', 'Employed, including self-employed'),
  participant('P-50PLUS', 'Participants over 50'),
  participant('P-ETHMIN', 'Participants from ethnic minorities'),
  participant('P-DISAB', 'Participants with disabilities'),
  participant('P-NOBASIC', 'Participants without basic skills'),
  participant('P-SAHDC', 'Participants who live in a single adult household with dependent children'),
  participant('P-OFFEND', 'Participants who are offenders or ex-offenders'),
  result('R-UNEMP-EMP', 'Unemployed participants into employment (including self-employment) on leaving', 'P-UNEMP'),
  result('R-INACT-EMPJS', 'Inactive participants into employment or job search on leaving', 'P-INACT'),
  result('R-BASIC', 'Participants gaining basic skills'),
  result('R-CHILDCARE', 'Participants with childcare needs receiving childcare support'),
  result('R-EMP6M', 'Participants in employment, including self-employment, 6 months after leaving'),
  result('R-EDTRAIN', 'Participants in education or training on leaving'),
  result('R-L2', 'Participants gaining level 2 or below (excluding basic skills)'),
  result('R-L3', 'Participants gaining level 3 or above'),
  result('R-FEMALE-LMS', 'Employed females gaining improved labour market status'),
];

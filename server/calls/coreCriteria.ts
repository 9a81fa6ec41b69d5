/**
 * The core criteria every ESF call appraises (DESIGN.md): a new call's form offers them, and the worked example's
 * call has them, with its own guidance where the scoping report gives it.
 */
import type { AppraisalCriterion } from './types.ts';

/** Strategic fit, value for money, management and control, deliverability and cross-cutting themes. */
export const CORE_CRITERIA: AppraisalCriterion[] = [
  {
    code: 'SF',
    title: 'Strategic fit',
    guidance: 'Fit with the strategy, the call and local plans.',
    weight: 3,
    minimumScore: 3,
  },
  {
    code: 'VFM',
    title: 'Value for money',
    guidance: 'Cost per participant and per result, with credible targets.',
    weight: 3,
    minimumScore: 2,
  },
  {
    code: 'MC',
    title: 'Management and control',
    guidance: 'Governance, financial controls, eligibility evidence and audit trail.',
    weight: 2,
    minimumScore: 3,
  },
  {
    code: 'DEL',
    title: 'Deliverability',
    guidance: 'Match funding secured, partners in place, realistic timetable and targets.',
    weight: 2,
    minimumScore: 3,
  },
  {
    code: 'CCT',
    title: 'Cross-cutting themes',
    guidance: 'Equal opportunities and gender equality; sustainable development.',
    weight: 1,
    minimumScore: 2,
  },
];

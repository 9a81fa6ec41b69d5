/** The words a bid's coded fields are shown with, on its form and to the panel, offered to every feature. */
import type { Narrative } from './types.ts';

/** A partner's role in the consortium. */
export const ROLES = [
  { value: 'lead', text: 'Lead' },
  { value: 'delivery', text: 'Delivery partner' },
];

/** Where match funding comes from. */
export const SECTORS = [
  { value: 'public', text: 'Public' },
  { value: 'private', text: 'Private' },
];

/** Cash or in kind. */
export const KINDS = [
  { value: 'cash', text: 'Cash' },
  { value: 'in_kind', text: 'In kind' },
];

/** Whether a match-funding line is secured. */
export const MATCH_STATUSES = [
  { value: 'secured', text: 'Secured' },
  { value: 'pending', text: 'Pending' },
];

/** The five written answers, with the hint each has on the form. */
export const NARRATIVES: { key: keyof Narrative; title: string; hint: string }[] = [
  {
    key: 'need',
    title: 'Need and gap',
    hint: 'The need the bid meets and the gap in provision it fills, with evidence.',
  },
  {
    key: 'activities',
    title: 'Activities',
    hint: 'What participants will receive, and how it fits the call’s eligible activities.',
  },
  { key: 'delivery', title: 'Delivery', hint: 'Who delivers what, where and when, and how participants are referred.' },
  {
    key: 'management',
    title: 'Management and control',
    hint: 'Governance of the partnership, financial controls, eligibility evidence and audit trail.',
  },
  {
    key: 'crossCuttingThemes',
    title: 'Cross-cutting themes',
    hint: 'Equal opportunities and gender equality; sustainable development.',
  },
];

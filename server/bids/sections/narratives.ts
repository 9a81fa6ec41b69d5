/** The bid's narratives section: the five written answers. */
import { withoutUndefined } from '../../web/forms.ts';
import type { Narrative } from '../types.ts';
import { formParts, valuesBuilder, type BidSection } from './section.ts';

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

export const narratives: BidSection = {
  key: 'narratives',
  title: 'Narratives',
  owns: ['narrative'],

  read(form) {
    const narrative = withoutUndefined(
      Object.fromEntries(NARRATIVES.map(({ key }) => [key, form.text(`/narrative/${key}`)])),
    );
    return { narrative: Object.keys(narrative).length > 0 ? narrative : undefined };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    for (const { key } of NARRATIVES) put(`narrative-${key}`, draft.narrative?.[key]);
    return values;
  },

  view(_call, form) {
    const { field } = formParts(form);
    return { narratives: NARRATIVES.map((n) => ({ ...n, field: field(`narrative-${n.key}`) })) };
  },
};

/** The bid's narratives section: the five written answers. */
import { withoutUndefined } from '../../web/forms.ts';
import { NARRATIVES } from '../labels.ts';
import { formParts, valuesBuilder, type BidSection } from './section.ts';

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

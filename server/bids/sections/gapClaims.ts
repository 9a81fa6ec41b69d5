/** The bid's gap claims section: a narrative for each of the call's gap criteria the bid claims to meet. */
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

export const gapClaims: BidSection = {
  key: 'gap-claims',
  title: 'Gap claims',
  owns: ['gapClaims'],

  read(form, call) {
    // rows follow the call's gap criteria, so a row's code is the criterion it stands beside
    const claims = form
      .rows('/gapClaims', ['narrative'], (row, index) => ({
        gapCode: call.gapCriteria[index]?.code,
        narrative: form.text(`${row}/narrative`),
      }))
      .filter((claim) => claim.gapCode !== undefined);
    return { gapClaims: listOrNothing(claims) };
  },

  values(draft, call) {
    const { values, put } = valuesBuilder();
    for (const claim of draft.gapClaims ?? []) {
      const index = call.gapCriteria.findIndex((g) => g.code === claim.gapCode);
      if (index >= 0) put(`gapClaims-${index}-narrative`, claim.narrative);
    }
    return values;
  },

  view(call, form) {
    const { field } = formParts(form);
    return { gapClaims: call.gapCriteria.map((gap, i) => ({ ...gap, narrative: field(`gapClaims-${i}-narrative`) })) };
  },
};

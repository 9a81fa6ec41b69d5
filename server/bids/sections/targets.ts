/** The bid's targets section: participants and results it commits to, against the call's indicators. */
import type { Call, Indicator } from '../../calls/types.ts';
import { withoutUndefined } from '../../web/forms.ts';
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

const LISTS = ['outputTargets', 'resultTargets'] as const;

/** Indicator choices for a kind, from the call's priorities, titled from the catalogue. */
function indicatorChoices(call: Call, catalogue: Indicator[], kind: 'participant' | 'result') {
  const codes = new Set(
    call.priorities.flatMap((p) => (kind === 'participant' ? p.participantIndicators : p.resultIndicators)),
  );
  return catalogue
    .filter((indicator) => indicator.kind === kind && codes.has(indicator.code))
    .map((indicator) => ({ value: indicator.code, text: `${indicator.title} (${indicator.code})` }));
}

export const targets: BidSection = {
  key: 'targets',
  title: 'Targets',
  owns: [...LISTS],

  read(form) {
    const rows = (list: string) =>
      form.rows(list, ['indicator', 'target'], (row) =>
        withoutUndefined({ indicator: form.text(`${row}/indicator`), target: form.wholeNumber(`${row}/target`) }),
      );
    return {
      outputTargets: listOrNothing(rows('/outputTargets')),
      resultTargets: listOrNothing(rows('/resultTargets')),
    };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    for (const list of LISTS) {
      (draft[list] ?? []).forEach((target, i) => {
        put(`${list}-${i}-indicator`, target.indicator);
        put(`${list}-${i}-target`, target.target);
      });
    }
    return values;
  },

  view(call, form, context) {
    const { field, select, rows } = formParts(form);
    const targetRows = (list: string, choices: { value: string; text: string }[]) =>
      rows(list).map((i) => ({
        number: i + 1,
        indicator: select(`${list}-${i}-indicator`, choices),
        target: field(`${list}-${i}-target`),
      }));
    return {
      outputTargets: targetRows('outputTargets', indicatorChoices(call, context.catalogue, 'participant')),
      resultTargets: targetRows('resultTargets', indicatorChoices(call, context.catalogue, 'result')),
    };
  },
};

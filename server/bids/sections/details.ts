/** The bid's details section: title, summary, dates and the areas it covers. */
import { rawValues } from '../../web/forms.ts';
import { dateParts, formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

export const details: BidSection = {
  key: 'details',
  title: 'Bid details',
  owns: ['title', 'summary', 'startDate', 'endDate', 'geography'],

  read(form) {
    return {
      title: form.text('/title'),
      summary: form.text('/summary'),
      startDate: form.date('/startDate', 'start date'),
      endDate: form.date('/endDate', 'end date'),
      geography: listOrNothing(form.list('/geography')),
    };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    put('title', draft.title);
    put('summary', draft.summary);
    Object.assign(values, dateParts('startDate', draft.startDate), dateParts('endDate', draft.endDate));
    values.geography = draft.geography ?? [];
    return values;
  },

  view(call, form) {
    const { field, date } = formParts(form);
    const chosen = rawValues(form.values, 'geography');
    // an area the draft holds that the call no longer lists stays on the form, so it can be unticked
    const areas = [...call.geography, ...chosen.filter((area) => !call.geography.includes(area))];
    return {
      title: field('title'),
      summary: field('summary'),
      startDate: date('startDate'),
      endDate: date('endDate'),
      geography: {
        id: 'geography',
        error: form.errors.geography,
        items: areas.map((area, i) => ({
          id: i === 0 ? 'geography' : `geography-${i + 1}`,
          value: area,
          checked: chosen.includes(area),
        })),
      },
    };
  },
};

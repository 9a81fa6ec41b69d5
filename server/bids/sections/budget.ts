/** The bid's budget section: ESF asked under each of the call's priorities, and the total eligible cost. */
import { formatPounds } from '../../shared/money.ts';
import { poundsInputValue, withoutUndefined } from '../../web/forms.ts';
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

export const budget: BidSection = {
  key: 'budget',
  title: 'Priorities and budget',
  owns: ['priorities', 'totalEligibleCostPence'],

  read(form, call) {
    // rows follow the call's priorities, so a row's code is the priority it stands beside
    const priorities = form
      .rows('/priorities', ['esfPence'], (row, index) => ({
        code: call.priorities[index]?.code,
        esfPence: form.pounds(`${row}/esfPence`),
      }))
      .filter((priority) => priority.code !== undefined)
      .map((priority) => withoutUndefined(priority));
    return { priorities: listOrNothing(priorities), totalEligibleCostPence: form.pounds('/totalEligibleCostPence') };
  },

  values(draft, call) {
    const { values, put } = valuesBuilder();
    for (const priority of draft.priorities ?? []) {
      const index = call.priorities.findIndex((p) => p.code === priority.code);
      if (index >= 0) put(`priorities-${index}-esfPence`, poundsInputValue(priority.esfPence));
    }
    put('totalEligibleCostPence', poundsInputValue(draft.totalEligibleCostPence) || undefined);
    return values;
  },

  view(call, form) {
    const { field } = formParts(form);
    return {
      priorities: call.priorities.map((priority, i) => ({
        label: `Priority ${priority.code}: ${priority.title}`,
        hint: `ESF under this priority, in pounds. Its allocation is ${formatPounds(priority.allocationPence)}.`,
        esfPence: field(`priorities-${i}-esfPence`),
      })),
      totalEligibleCostPence: field('totalEligibleCostPence'),
      totalHint: `ESF plus all match funding, in pounds. ESF may be at most ${call.interventionRatePercent}% of it.`,
    };
  },
};

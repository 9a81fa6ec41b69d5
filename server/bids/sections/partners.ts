/** The bid's partners section: the lead and delivery partners, their numbers and their shares of the money. */
import { ORGANISATION_TYPES, poundsInputValue, withoutUndefined } from '../../web/forms.ts';
import { ROLES } from '../labels.ts';
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

const PARTNER_FIELDS = ['name', 'type', 'role', 'charityNumber', 'companyNumber', 'esfPence', 'matchPence'];

export const partners: BidSection = {
  key: 'partners',
  title: 'Partners',
  owns: ['partners'],

  read(form) {
    return {
      partners: listOrNothing(
        form.rows('/partners', PARTNER_FIELDS, (row) =>
          withoutUndefined({
            // A hidden input: a row that keeps its id keeps the partner's link (its organisation, its completion).
            id: form.text(`${row}/id`),
            name: form.text(`${row}/name`),
            type: form.text(`${row}/type`),
            role: form.text(`${row}/role`),
            charityNumber: form.text(`${row}/charityNumber`),
            companyNumber: form.text(`${row}/companyNumber`)?.toUpperCase(),
            esfPence: form.pounds(`${row}/esfPence`),
            matchPence: form.pounds(`${row}/matchPence`),
          }),
        ),
      ),
    };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    (draft.partners ?? []).forEach((partner, i) => {
      for (const field of ['id', 'name', 'type', 'role', 'charityNumber', 'companyNumber'] as const)
        put(`partners-${i}-${field}`, partner[field]);
      put(`partners-${i}-esfPence`, poundsInputValue(partner.esfPence));
      put(`partners-${i}-matchPence`, poundsInputValue(partner.matchPence));
    });
    return values;
  },

  view(_call, form) {
    const { field, select, rows } = formParts(form);
    return {
      partners: rows('partners').map((i) => ({
        number: i + 1,
        id: field(`partners-${i}-id`),
        name: field(`partners-${i}-name`),
        type: select(`partners-${i}-type`, ORGANISATION_TYPES),
        role: select(`partners-${i}-role`, ROLES),
        charityNumber: field(`partners-${i}-charityNumber`),
        companyNumber: field(`partners-${i}-companyNumber`),
        esfPence: field(`partners-${i}-esfPence`),
        matchPence: field(`partners-${i}-matchPence`),
      })),
    };
  },
};

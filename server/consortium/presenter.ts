/** The offer pages' models: the offer form read into the API's body, and what each page shows. Pure. */
import type { CallRow } from '../models/calls.ts';
import type { BidRow } from '../models/bids.ts';
import {
  errorsByField,
  fieldView,
  optionsFor,
  rawValue,
  rawValues,
  withoutUndefined,
  type ErrorItem,
  type FormReader,
  type FormValues,
} from '../web/forms.ts';
import type { OfferFields } from './service.ts';
import type { ListedOffer } from './repository.ts';

/** The offer form read into the body `offer.create.schema.json` validates: pounds into pence, blanks left out. */
export function offerBody(form: FormReader): Partial<OfferFields> {
  return withoutUndefined({
    summary: form.text('/summary'),
    activities: form.text('/activities'),
    geography: form.list('/geography'),
    priorities: form.list('/priorities'),
    indicativeEsfPence: form.pounds('/indicativeEsfPence'),
    contactEmail: form.text('/contactEmail'),
  });
}

/** Checkboxes of `choices` with the posted ones ticked; the first box carries the field's id, for error links. */
function checkboxes(id: string, choices: { value: string; text: string }[], values: FormValues, error?: string) {
  const chosen = rawValues(values, id);
  return {
    id,
    ...(error ? { error } : {}),
    items: choices.map((choice, i) => ({
      id: i === 0 ? id : `${id}-${i + 1}`,
      value: choice.value,
      text: choice.text,
      checked: chosen.includes(choice.value),
    })),
  };
}

/** The offer form of a call: the call's areas and priorities as checkboxes, what was typed, its errors. */
export function offerFormPage(
  call: Pick<CallRow, 'id' | 'title' | 'reference' | 'publishedFields'>,
  values: FormValues,
  errors: ErrorItem[],
  email: string,
) {
  const byField = errorsByField(errors);
  const fields = call.publishedFields;
  // A fresh form offers the signed-in person's own address as the contact; what they type replaces it.
  const contact = fieldView(values, byField, 'contactEmail');
  return {
    call: { id: call.id, title: call.title, reference: call.reference },
    errors,
    summary: fieldView(values, byField, 'summary'),
    activities: fieldView(values, byField, 'activities'),
    geography: checkboxes(
      'geography',
      (fields?.geography ?? []).map((area) => ({ value: area, text: area })),
      values,
      byField.geography,
    ),
    priorities: checkboxes(
      'priorities',
      (fields?.priorities ?? []).map((p) => ({ value: p.code, text: `${p.code} ${p.title}` })),
      values,
      byField.priorities,
    ),
    indicativeEsfPence: fieldView(values, byField, 'indicativeEsfPence'),
    contactEmail: 'contactEmail' in values ? contact : { ...contact, value: email },
  };
}

/** The offer as the withdrawal's confirmation page shows it. */
export function offerToRemovePage(offer: ListedOffer) {
  return {
    offer: {
      id: offer.id,
      callId: offer.callId,
      summary: offer.summary,
      organisationName: offer.organisationName,
      indicativeEsfPence: offer.indicativeEsfPence,
    },
  };
}

/** "Invite to my bid": the offer, and the bid to add its organisation to (radios when there is more than one). */
export function offerToTakePage(
  view: { call: Pick<CallRow, 'id' | 'title'>; offer: ListedOffer; bids: BidRow[] },
  values: FormValues,
  errors: ErrorItem[],
) {
  const byField = errorsByField(errors);
  const choices = view.bids.map((bid) => ({
    value: bid.id,
    text: `${bid.reference}: ${bid.draft.title || 'Untitled bid'}`,
  }));
  const chosen = rawValue(values, 'bidId');
  return {
    call: { id: view.call.id, title: view.call.title },
    offer: {
      id: view.offer.id,
      summary: view.offer.summary,
      organisationName: view.offer.organisationName,
      contactEmail: view.offer.contactEmail,
    },
    errors,
    single: view.bids.length === 1 ? choices[0] : undefined,
    bidId:
      view.bids.length > 1
        ? { ...fieldView(values, byField, 'bidId'), options: optionsFor(choices, chosen, null) }
        : undefined,
  };
}

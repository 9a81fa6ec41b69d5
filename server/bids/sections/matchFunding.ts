/** The bid's match funding section: each line's funder, sector, kind, amount, status and evidence letter. */
import { optionsFor, poundsInputValue, rawValue, withoutUndefined } from '../../web/forms.ts';
import { KINDS, MATCH_STATUSES, SECTORS } from '../labels.ts';
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

const MATCH_FIELDS = ['funder', 'sector', 'kind', 'amountPence', 'status', 'evidenceAttachmentId'];

export const matchFunding: BidSection = {
  key: 'match-funding',
  title: 'Match funding',
  owns: ['matchFunding'],

  read(form) {
    return {
      matchFunding: listOrNothing(
        form.rows('/matchFunding', MATCH_FIELDS, (row) =>
          withoutUndefined({
            funder: form.text(`${row}/funder`),
            sector: form.text(`${row}/sector`),
            kind: form.text(`${row}/kind`),
            amountPence: form.pounds(`${row}/amountPence`),
            status: form.text(`${row}/status`),
            evidenceAttachmentId: form.text(`${row}/evidenceAttachmentId`),
            partnerId: form.text(`${row}/partnerId`),
          }),
        ),
      ),
    };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    (draft.matchFunding ?? []).forEach((line, i) => {
      for (const field of ['funder', 'sector', 'kind', 'status', 'evidenceAttachmentId', 'partnerId'] as const)
        put(`matchFunding-${i}-${field}`, line[field]);
      put(`matchFunding-${i}-amountPence`, poundsInputValue(line.amountPence));
    });
    return values;
  },

  view(_call, form, context) {
    const { field, select, rows } = formParts(form);
    const evidence = context.attachments.map((a) => ({ value: a.id, text: a.filename }));
    // Lines are the lead's unless they name another partner of the saved draft.
    const declarers = (context.draft.partners ?? [])
      .filter((partner) => partner.id && partner.role !== 'lead')
      .map((partner) => ({ value: partner.id!, text: partner.name }));
    const lines = rows('matchFunding').map((i) => ({
      number: i + 1,
      funder: field(`matchFunding-${i}-funder`),
      sector: select(`matchFunding-${i}-sector`, SECTORS),
      kind: select(`matchFunding-${i}-kind`, KINDS),
      amountPence: field(`matchFunding-${i}-amountPence`),
      status: select(`matchFunding-${i}-status`, MATCH_STATUSES),
      evidenceAttachmentId: {
        ...field(`matchFunding-${i}-evidenceAttachmentId`),
        options: optionsFor(evidence, rawValue(form.values, `matchFunding-${i}-evidenceAttachmentId`), 'No letter yet'),
      },
      partnerId: {
        ...field(`matchFunding-${i}-partnerId`),
        options: optionsFor(declarers, rawValue(form.values, `matchFunding-${i}-partnerId`), 'The lead partner'),
      },
    }));
    // The upload form links a letter to a line of the saved draft, whatever the form above holds.
    const saved = (context.draft.matchFunding ?? []).map((line, i) => ({
      value: String(i),
      text: `Line ${i + 1}: ${line.funder}`,
    }));
    return { matchFunding: lines, evidenceLines: optionsFor(saved, '', 'Do not link it to a line yet') };
  },
};

/** The bid's match funding section: each line's funder, sector, kind, amount, status and evidence letter. */
import {
  optionsFor,
  poundsInputValue,
  rawValue,
  withoutUndefined,
  type FormReader,
  type FormValues,
} from '../../web/forms.ts';
import { KINDS, MATCH_STATUSES, SECTORS } from '../labels.ts';
import type { MatchLine } from '../types.ts';
import { formParts, listOrNothing, valuesBuilder, type BidSection } from './section.ts';

// A line's form is the same on this section's page and on a partner's part page (partnerPageModels.ts), which
// reads, fills and draws its lines with the three functions below; only this page names a line's declarer.

/** The inputs of one match line, each under `/matchFunding/n/…`. */
export const MATCH_LINE_FIELDS = ['funder', 'sector', 'kind', 'amountPence', 'status', 'evidenceAttachmentId'];

/** One posted match line's own fields (not its declarer), before blanks are left out. */
export function readMatchLine(form: FormReader, row: string) {
  return {
    funder: form.text(`${row}/funder`),
    sector: form.text(`${row}/sector`),
    kind: form.text(`${row}/kind`),
    amountPence: form.pounds(`${row}/amountPence`),
    status: form.text(`${row}/status`),
    evidenceAttachmentId: form.text(`${row}/evidenceAttachmentId`),
  };
}

/** A saved line's form values as line `i`, money in pounds; with `declarer`, the partner it names too. */
export function putMatchLine(
  put: (id: string, value: string | number | undefined) => void,
  line: MatchLine,
  i: number,
  { declarer = false } = {},
): void {
  const fields = ['funder', 'sector', 'kind', 'status', 'evidenceAttachmentId', 'partnerId'] as const;
  for (const field of declarer ? fields : fields.slice(0, -1)) put(`matchFunding-${i}-${field}`, line[field]);
  put(`matchFunding-${i}-amountPence`, poundsInputValue(line.amountPence));
}

/** Line `i`'s inputs, its evidence letter chosen from `letters`. */
export function matchLineInputs(
  { field, select }: Pick<ReturnType<typeof formParts>, 'field' | 'select'>,
  values: FormValues,
  i: number,
  letters: { value: string; text: string }[],
) {
  return {
    number: i + 1,
    funder: field(`matchFunding-${i}-funder`),
    sector: select(`matchFunding-${i}-sector`, SECTORS),
    kind: select(`matchFunding-${i}-kind`, KINDS),
    amountPence: field(`matchFunding-${i}-amountPence`),
    status: select(`matchFunding-${i}-status`, MATCH_STATUSES),
    evidenceAttachmentId: {
      ...field(`matchFunding-${i}-evidenceAttachmentId`),
      options: optionsFor(letters, rawValue(values, `matchFunding-${i}-evidenceAttachmentId`), 'No letter yet'),
    },
  };
}

export const matchFunding: BidSection = {
  key: 'match-funding',
  title: 'Match funding',
  owns: ['matchFunding'],

  read(form) {
    return {
      matchFunding: listOrNothing(
        form.rows('/matchFunding', MATCH_LINE_FIELDS, (row) =>
          withoutUndefined({ ...readMatchLine(form, row), partnerId: form.text(`${row}/partnerId`) }),
        ),
      ),
    };
  },

  values(draft) {
    const { values, put } = valuesBuilder();
    (draft.matchFunding ?? []).forEach((line, i) => putMatchLine(put, line, i, { declarer: true }));
    return values;
  },

  view(_call, form, context) {
    const parts = formParts(form);
    const evidence = context.attachments.map((a) => ({ value: a.id, text: a.filename }));
    // Lines are the lead's unless they name another partner of the saved draft.
    const declarers = (context.draft.partners ?? [])
      .filter((partner) => partner.id && partner.role !== 'lead')
      .map((partner) => ({ value: partner.id!, text: partner.name }));
    const lines = parts.rows('matchFunding').map((i) => ({
      ...matchLineInputs(parts, form.values, i, evidence),
      partnerId: {
        ...parts.field(`matchFunding-${i}-partnerId`),
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

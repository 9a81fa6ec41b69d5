/**
 * The officer's release, feedback and correction forms, pure: when the call's decisions reach applicants (UK time),
 * the release form read into `PUT /calls/:id/release`, the applicant's feedback (optionally started from the
 * panel's comments), and the reason a correction must give.
 */
import { formatLondonDateTime } from '../shared/londonFormat.ts';
import { londonFormFields } from '../shared/londonTime.ts';
import {
  errorsByField,
  fieldView,
  FormReader,
  rawValue,
  readLondonInstant,
  type ErrorItem,
  type FormValues,
} from '../web/forms.ts';

/** Where the call's release stands, in words, with the form to set or change it while not yet released. */
export function releaseView(
  release: { releaseDecisionsAt: string | null; released: boolean },
  values: FormValues | undefined,
  errors: ErrorItem[],
) {
  const at = release.releaseDecisionsAt;
  const byField = errorsByField(errors);
  const shown = values ?? (at ? prefixed(londonFormFields(new Date(at))) : {});
  return {
    released: release.released,
    status: release.released
      ? { text: 'Released', tagClass: 'govuk-tag--green' }
      : at
        ? { text: 'Not yet released', tagClass: 'govuk-tag--yellow' }
        : { text: 'No release time set', tagClass: 'govuk-tag--grey' },
    words: release.released
      ? `The decisions were released on ${formatLondonDateTime(at!)} (UK time): applicants see them, with feedback.`
      : at
        ? `The decisions will be released on ${formatLondonDateTime(at)} (UK time). Until then applicants see no ` +
          'decision, scores or feedback.'
        : 'No release time is set: each decision reaches the applicant as soon as it is recorded. Set a time to hold ' +
          'them until then.',
    date: {
      id: 'releaseDecisionsAt',
      day: rawValue(shown, 'releaseDecisionsAt-day'),
      month: rawValue(shown, 'releaseDecisionsAt-month'),
      year: rawValue(shown, 'releaseDecisionsAt-year'),
      ...(byField.releaseDecisionsAt ? { error: byField.releaseDecisionsAt } : {}),
    },
    time: fieldView(shown, byField, 'releaseDecisionsAt-time'),
  };
}

/** A London instant's form fields, named as the release form names them. */
function prefixed(fields: { day: string; month: string; year: string; time: string }): FormValues {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`releaseDecisionsAt-${k}`, v]));
}

/** Reads the release form: "release now" is the instant `now`, else the typed UK date and time. */
export function readReleaseForm(values: FormValues, now: Date): { reader: FormReader; releaseDecisionsAt?: string } {
  const reader = new FormReader(values);
  if (values.now !== undefined) return { reader, releaseDecisionsAt: now.toISOString() };
  const releaseDecisionsAt = readLondonInstant(reader, values, '/releaseDecisionsAt', 'release');
  if (!releaseDecisionsAt && reader.problems.length === 0)
    reader.problems.push({ path: '/releaseDecisionsAt', message: 'Enter the date and time to release the decisions' });
  return { reader, releaseDecisionsAt };
}

/** The panel's comments on a bid as the start of the applicant's feedback: each criterion's, and the moderation's. */
export function feedbackFromPanel(
  criteria: readonly { code: string; title: string }[],
  scores: {
    appraisers: readonly { scores: readonly { criterion: string; comment: string | null }[] }[];
    moderated: readonly { criterion: string; rationale: string }[];
  },
): string {
  return criteria
    .map((c) => {
      const comments = [
        ...scores.appraisers.flatMap((a) => a.scores.filter((s) => s.criterion === c.code && s.comment)),
      ].map((s) => s.comment!);
      const moderation = scores.moderated.filter((m) => m.criterion === c.code).map((m) => m.rationale);
      const said = [...comments, ...moderation];
      return said.length === 0 ? undefined : `${c.title}: ${said.join(' ')}`;
    })
    .filter((line): line is string => line !== undefined)
    .join('\n\n');
}

/** The feedback form's textarea: what was typed, else the panel's comments when asked for, else what is saved. */
export function feedbackField(
  values: FormValues | undefined,
  saved: string | undefined,
  panel: string | undefined,
  errors: ErrorItem[],
) {
  const value = values ? rawValue(values, 'feedback') : (panel ?? saved ?? '');
  const error = errorsByField(errors).feedback;
  return { id: 'feedback', value, ...(error ? { error } : {}) };
}

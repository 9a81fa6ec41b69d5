/**
 * What the appraiser's pages show, as plain data: the bid read in full, each bid's next step, the score sheet
 * as a form (criteria with guidance and the 0–5 descriptors) and the running weighted score of a saved sheet.
 * Pure: no I/O, so each view is tested on its own.
 */
import type { Call, Indicator } from '../calls/types.ts';
import type { VersionAttachment } from '../bids/receipt.ts';
import type { BidFields } from '../bids/types.ts';
import { bidEsfPence, declaredMatchPence } from '../bids/gateway.ts';
import { KINDS, MATCH_STATUSES, NARRATIVES, ROLES, SECTORS } from '../bids/labels.ts';
import {
  errorsByField,
  FormReader,
  ORGANISATION_TYPES,
  rawValue,
  type ErrorItem,
  type FieldView,
  type FormValues,
} from '../web/forms.ts';
import { formatLondonDate } from '../shared/londonFormat.ts';
import { finalScores, meetsThresholds, weightedScore, type ScoringCriterion } from './scoring.ts';

const label = (choices: { value: string; text: string }[], value: string) =>
  choices.find((c) => c.value === value)?.text ?? value;
const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/).filter((line) => line.trim() !== '');

/** ESF as a share of the total eligible cost, for people: "50.00%"; exact pence in, two decimals out. */
export function esfRateText(esfPence: number, totalPence: number | undefined): string {
  if (!totalPence || totalPence <= 0) return 'Not known';
  const basisPoints = Math.round((esfPence * 10_000) / totalPence);
  return `${(basisPoints / 100).toFixed(2)}%`;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export interface BidInFullInput {
  bidId: string;
  reference: string;
  fields: BidFields;
  call: Pick<Call, 'priorities' | 'gapCriteria'>;
  catalogue: Indicator[];
  /** The files of the submitted version: what the panel reads. */
  attachments: VersionAttachment[];
}

/** The submitted bid, every section of it, as summary lists and tables; documents link to the API's download. */
export function bidInFull({ bidId, reference, fields, call, catalogue, attachments }: BidInFullInput) {
  const indicator = new Map(catalogue.map((i) => [i.code, i.title]));
  const files = new Map(attachments.map((a) => [a.id, a]));
  const download = (id: string) => `/api/v1/bids/${bidId}/attachments/${id}`;
  const target = (t: { indicator: string; target: number }) => ({
    code: t.indicator,
    title: indicator.get(t.indicator) ?? t.indicator,
    target: t.target,
  });
  const esfPence = bidEsfPence(fields);
  const partners = fields.partners ?? [];
  return {
    reference,
    title: fields.title || 'Untitled bid',
    details: [
      { key: 'Summary', lines: lines(fields.summary) },
      { key: 'Start date', lines: [fields.startDate ? formatLondonDate(fields.startDate) : 'Not given'] },
      { key: 'End date', lines: [fields.endDate ? formatLondonDate(fields.endDate) : 'Not given'] },
      { key: 'Areas covered', lines: [fields.geography?.length ? fields.geography.join(', ') : 'None given'] },
    ],
    narratives: NARRATIVES.map((n) => ({ title: n.title, lines: lines(fields.narrative?.[n.key]) })),
    partners: partners.map((p) => ({
      name: p.name,
      role: label(ROLES, p.role),
      type: label(ORGANISATION_TYPES, p.type),
      numbers: [
        p.charityNumber ? `Charity ${p.charityNumber}` : '',
        p.companyNumber ? `Company ${p.companyNumber}` : '',
      ]
        .filter(Boolean)
        .join(', '),
      esfPence: p.esfPence,
      matchPence: p.matchPence,
    })),
    partnerTotals: {
      esfPence: partners.reduce((sum, p) => sum + p.esfPence, 0),
      matchPence: partners.reduce((sum, p) => sum + p.matchPence, 0),
    },
    priorities: (fields.priorities ?? []).map((p) => ({
      code: p.code,
      title: call.priorities.find((cp) => cp.code === p.code)?.title ?? '',
      esfPence: p.esfPence,
    })),
    budget: {
      esfPence,
      matchPence: declaredMatchPence(fields),
      totalEligibleCostPence: fields.totalEligibleCostPence,
      esfRate: esfRateText(esfPence, fields.totalEligibleCostPence),
    },
    matchFunding: (fields.matchFunding ?? []).map((m) => {
      const evidence = m.evidenceAttachmentId ? files.get(m.evidenceAttachmentId) : undefined;
      return {
        funder: m.funder,
        sector: label(SECTORS, m.sector),
        kind: label(KINDS, m.kind),
        amountPence: m.amountPence,
        status: label(MATCH_STATUSES, m.status),
        pending: m.status === 'pending',
        evidence: evidence ? { href: download(evidence.id), filename: evidence.filename } : undefined,
      };
    }),
    outputTargets: (fields.outputTargets ?? []).map(target),
    resultTargets: (fields.resultTargets ?? []).map(target),
    gapClaims: (fields.gapClaims ?? []).map((claim) => ({
      title: call.gapCriteria.find((g) => g.code === claim.gapCode)?.title ?? claim.gapCode,
      lines: lines(claim.narrative),
    })),
    documents: attachments.map((a) => ({
      href: download(a.id),
      filename: a.filename,
      purpose: a.purpose === 'match-evidence' ? 'Match-funding evidence' : 'Supporting document',
      size: sizeText(a.sizeBytes),
    })),
  };
}

export type NextStep = 'declare' | 'score' | 'done';

const NEXT_STEPS: Record<NextStep, { text: string; tagClass: string; action: string; path: string }> = {
  declare: {
    text: 'Declare interest',
    tagClass: 'govuk-tag--yellow',
    action: 'Declare any conflict of interest',
    path: 'declare',
  },
  score: { text: 'Ready to score', tagClass: 'govuk-tag--blue', action: 'Score', path: 'score' },
  done: { text: 'Done', tagClass: 'govuk-tag--green', action: 'View your scores', path: 'score' },
};

/** The tag and link for a bid's next step on the appraiser's list. */
export function nextStepView(bidId: string, step: NextStep) {
  const view = NEXT_STEPS[step];
  return {
    step,
    text: view.text,
    tagClass: view.tagClass,
    action: view.action,
    href: `/appraisal/bids/${bidId}/${view.path}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The score sheet

export const DESCRIPTORS = ['Unacceptable', 'Poor', 'Weak', 'Satisfactory', 'Good', 'Excellent'];

export interface CriterionText extends ScoringCriterion {
  title: string;
  guidance: string;
  kind: 'core' | 'gap';
}

/** The call's criteria as appraisers read them, in the order they are scored: core criteria, then gaps. */
export function criteriaOf(call: Pick<Call, 'appraisalCriteria' | 'gapCriteria'>): CriterionText[] {
  return [
    ...call.appraisalCriteria.map((c) => ({ ...c, kind: 'core' as const })),
    ...call.gapCriteria.map((c) => ({ ...c, minimumScore: null, kind: 'gap' as const })),
  ];
}

export interface SavedScore {
  criterion: string;
  score: number | null;
  comment: string | null;
}

/** A saved sheet as the form's values: `scores-<i>-score` and `scores-<i>-comment` in the call's order. */
export function scoreFormValues(criteria: CriterionText[], saved: SavedScore[]): FormValues {
  const values: FormValues = {};
  criteria.forEach((c, i) => {
    const entry = saved.find((s) => s.criterion === c.code);
    values[`scores-${i}-score`] = entry?.score == null ? '' : String(entry.score);
    values[`scores-${i}-comment`] = entry?.comment ?? '';
  });
  return values;
}

/** Each criterion as the form draws it: its guidance, radios for 0–5 with their words, and the comment box. */
export function scoreFormView(criteria: CriterionText[], values: FormValues, errors: ErrorItem[]) {
  const byField = errorsByField(errors);
  return criteria.map((c, i) => {
    const id = `scores-${i}-score`;
    const chosen = rawValue(values, id);
    const comment: FieldView = { id: `scores-${i}-comment`, value: rawValue(values, `scores-${i}-comment`) };
    if (byField[comment.id]) comment.error = byField[comment.id];
    return {
      index: i,
      code: c.code,
      title: c.title,
      guidance: c.guidance,
      weight: c.weight,
      minimumScore: c.minimumScore,
      core: c.kind === 'core',
      scoreId: id,
      scoreError: byField[id],
      radios: DESCRIPTORS.map((words, score) => ({
        id: score === 0 ? id : `${id}-${score}`,
        value: String(score),
        text: `${score} – ${words}`,
        checked: chosen === String(score),
      })),
      chosenText: chosen === '' ? 'Not scored' : `${chosen} – ${DESCRIPTORS[Number(chosen)] ?? ''}`,
      comment,
    };
  });
}

/**
 * Reads the posted sheet into the body `PUT /bids/:id/scores/mine` takes: every criterion of the call in its
 * order, a blank score as null (a draft may leave it), a blank comment left out. A score that is not 0–5 is a
 * problem for the form (only a tampered post sends one).
 */
export function readScoreForm(values: FormValues, criteria: CriterionText[], submit: boolean) {
  const reader = new FormReader(values);
  const scores = criteria.map((c, i) => {
    const raw = reader.text(`/scores/${i}/score`);
    let score: number | null = null;
    if (raw !== undefined) {
      if (/^[0-5]$/.test(raw)) score = Number(raw);
      else reader.problems.push({ path: `/scores/${i}/score`, message: 'Choose a score from 0 to 5' });
    }
    const comment = reader.text(`/scores/${i}/comment`);
    return comment === undefined ? { criterion: c.code, score } : { criterion: c.code, score, comment };
  });
  return { reader, body: { submit, scores } };
}

/**
 * The weighted score of a saved sheet, computed as the panel's is (scoring.ts) over the criteria scored so
 * far; `complete` when every criterion has a score, and the criteria so far below their minimum.
 */
export function runningScore(criteria: CriterionText[], saved: SavedScore[]) {
  const scored = criteria.filter((c) => saved.some((s) => s.criterion === c.code && s.score !== null));
  const entries = saved
    .filter((s) => s.score !== null && scored.some((c) => c.code === s.criterion))
    .map((s) => ({ criterion: s.criterion, score: s.score! }));
  const finals = finalScores(scored, entries);
  const weighted = scored.length > 0 ? weightedScore(scored, finals) : null;
  const below = meetsThresholds(scored, finals).failed.map(
    (f) => criteria.find((c) => c.code === f.criterion)?.title ?? f.criterion,
  );
  return {
    scored: scored.length,
    of: criteria.length,
    complete: scored.length === criteria.length,
    percent: weighted?.percent ?? null,
    below,
  };
}

/** What makes a call publishable, and what makes it risky: pure rules over the call's fields. */
import type { ErrorDetail } from '../errors.ts';
import { formatPounds } from '../shared/money.ts';
import type { CallFields, Finding, Indicator } from './types.ts';

function duplicates(codes: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const code of codes) (seen.has(code) ? repeated : seen).add(code);
  return [...repeated];
}

/** Reasons a call cannot work, each with the JSON pointer of the field at fault; empty when it can be published. */
export function publishProblems(call: CallFields, catalogue: Indicator[], now: Date): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const kindOf = new Map(catalogue.map((indicator) => [indicator.code, indicator.kind]));

  if (call.priorities.length === 0)
    problems.push({ path: '/priorities', message: 'A call needs at least one investment priority' });
  if (Date.parse(call.closesAt) <= Date.parse(call.opensAt))
    problems.push({ path: '/closesAt', message: 'The closing time must be after the opening time' });
  else if (Date.parse(call.closesAt) <= now.getTime())
    problems.push({ path: '/closesAt', message: 'The closing time has already passed' });

  for (const code of duplicates(call.priorities.map((priority) => priority.code)))
    problems.push({ path: '/priorities', message: `Priority code ${code} is used more than once` });
  // Scores name criteria by code, so core and gap criteria share one set of codes.
  const criterionCodes = [...call.appraisalCriteria, ...call.gapCriteria].map((criterion) => criterion.code);
  for (const code of duplicates(criterionCodes))
    problems.push({ path: '/appraisalCriteria', message: `Criterion code ${code} is used more than once` });

  call.priorities.forEach((priority, i) => {
    const at = `/priorities/${i}`;
    if (priority.allocationPence <= 0)
      problems.push({
        path: `${at}/allocationPence`,
        message: `Priority ${priority.code} needs an allocation above zero (it has ${formatPounds(priority.allocationPence)})`,
      });
    priority.participantIndicators.forEach((code, j) => {
      const kind = kindOf.get(code);
      if (kind === undefined)
        problems.push({ path: `${at}/participantIndicators/${j}`, message: `Unknown indicator code ${code}` });
      else if (kind !== 'participant')
        problems.push({
          path: `${at}/participantIndicators/${j}`,
          message: `${code} is a result indicator, not a participant one`,
        });
    });
    priority.resultIndicators.forEach((code, j) => {
      const kind = kindOf.get(code);
      if (kind === undefined)
        problems.push({ path: `${at}/resultIndicators/${j}`, message: `Unknown indicator code ${code}` });
      else if (kind !== 'result')
        problems.push({
          path: `${at}/resultIndicators/${j}`,
          message: `${code} is a participant indicator, not a result one`,
        });
    });
  });

  if (call.gapCriteria.length === 0)
    problems.push({ path: '/gapCriteria', message: 'A call needs at least one gap criterion for bids to claim' });
  if (call.appraisalCriteria.length === 0)
    problems.push({ path: '/appraisalCriteria', message: 'A call needs at least one appraisal criterion' });

  const totalAllocation = call.priorities.reduce((sum, priority) => sum + Math.max(priority.allocationPence, 0), 0);
  if (call.priorities.length > 0 && totalAllocation < call.minProjectEsfPence)
    problems.push({
      path: '/minProjectEsfPence',
      message: `The priorities together allocate ${formatPounds(totalAllocation)}, below the ${formatPounds(call.minProjectEsfPence)} floor: no bid could be funded`,
    });
  return problems;
}

/** What is risky but allowed, shown to the officer: above all a priority whose allocation is under the floor. */
export function callWarnings(call: CallFields): Finding[] {
  const warnings: Finding[] = [];
  for (const priority of call.priorities) {
    if (priority.allocationPence > 0 && priority.allocationPence < call.minProjectEsfPence)
      warnings.push({
        code: 'CALL-ALLOCATION-BELOW-FLOOR',
        message: `Priority ${priority.code} has an allocation of ${formatPounds(priority.allocationPence)}, below the ${formatPounds(call.minProjectEsfPence)} floor per project: no bid can sit in it alone, so bids must span priorities`,
      });
  }
  return warnings;
}

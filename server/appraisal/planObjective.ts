/** The optimal plan's objective as a request asks for it. */
import { Validation } from '../errors.ts';
import type { PlanObjective } from './plan/types.ts';

/** Reads `?objective=`: the optimal plan maximises weighted score unless participants are asked for. */
export function planObjective(value: unknown): PlanObjective {
  if (value === undefined || value === 'score') return 'score';
  if (value === 'participants') return 'participants';
  throw new Validation('The query has problems', [
    { path: 'objective', message: 'Must be one of: score, participants' },
  ]);
}

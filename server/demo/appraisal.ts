/** The demo call's appraisal: its panel, both appraisers' declarations and submitted scores. */
import type { Actor, AppContext } from '../context.ts';
import { listBids } from '../bids/repository.ts';
import { declareConflict, saveMyScores, setPanel } from '../appraisal/service.ts';

// Each appraiser's scores for the demo's gateway-passing bids, by bid title; comments where a score is 2 or below.
const SCORES: Record<string, [Record<string, number>, Record<string, number>]> = {
  'Working Well Together': [
    {
      SF: 4,
      VFM: 4,
      MC: 3,
      DEL: 4,
      CCT: 3,
      'GAP-NEED': 4,
      'GAP-SYSTEM': 3,
      'GAP-GROUPS': 4,
      'GAP-SUSTAIN': 3,
      'GAP-FUTURE': 3,
    },
    {
      SF: 5,
      VFM: 3,
      MC: 3,
      DEL: 4,
      CCT: 3,
      'GAP-NEED': 5,
      'GAP-SYSTEM': 3,
      'GAP-GROUPS': 4,
      'GAP-SUSTAIN': 2,
      'GAP-FUTURE': 3,
    },
  ],
  'Healthy Minds at Work': [
    {
      SF: 3,
      VFM: 3,
      MC: 4,
      DEL: 3,
      CCT: 4,
      'GAP-NEED': 3,
      'GAP-SYSTEM': 4,
      'GAP-GROUPS': 2,
      'GAP-SUSTAIN': 4,
      'GAP-FUTURE': 4,
    },
    {
      SF: 3,
      VFM: 4,
      MC: 4,
      DEL: 3,
      CCT: 3,
      'GAP-NEED': 3,
      'GAP-SYSTEM': 4,
      'GAP-GROUPS': 4,
      'GAP-SUSTAIN': 4,
      'GAP-FUTURE': 3,
    },
  ],
};

/** Sets the panel and has both appraisers declare no conflict and submit their scores. */
export async function loadDemoAppraisal(
  ctx: AppContext,
  callId: string,
  officer: Actor,
  appraisers: Actor[],
): Promise<void> {
  await setPanel(ctx, officer, callId, { appraiserIds: appraisers.map((a) => a.id) });
  for (const { bid, version } of await listBids(ctx.knex, callId)) {
    const sheets = SCORES[bid.draft.title ?? ''];
    if (!version?.gatewayPassed || !sheets) continue;
    for (const [i, appraiser] of appraisers.entries()) {
      await declareConflict(ctx, appraiser, bid.id, { conflict: false });
      const scores = Object.entries(sheets[i]).map(([criterion, score]) =>
        score <= 2
          ? { criterion, score, comment: `${criterion}: the bid gives too little evidence here.` }
          : { criterion, score },
      );
      await saveMyScores(ctx, appraiser, bid.id, { submit: true, scores });
    }
  }
}

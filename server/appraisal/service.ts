/**
 * The use cases of the appraisal, one file per concern: the panel (panelService.ts), conflicts of interest
 * (conflictService.ts), score sheets (sheetService.ts), moderation (moderationService.ts) and decisions
 * (decisionService.ts). Every change is audited in its transaction; who may do each is access's to say.
 */
export { setPanel, appraiserBidList, appraiserCall, appraiserListedBid } from './panelService.ts';
export { declareConflict } from './conflictService.ts';
export { mySheet, saveMyScores } from './sheetService.ts';
export { bidScores, moderate } from './moderationService.ts';
export { callAppraisal, callRanking, callDecisions, bidRanking, decide, bidAudit } from './decisionService.ts';
export { setRelease, writeFeedback } from './releaseService.ts';

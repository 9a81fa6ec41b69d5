import type { CallFields } from '../calls/types.ts';
import { BaseModel } from './BaseModel.ts';

/** The catalogue of ESF participant and result indicators. */
export class IndicatorRow extends BaseModel {
  static override tableName = 'indicators';
  static override idColumn = 'code';
  declare code: string;
  declare kind: 'participant' | 'result';
  declare title: string;
  declare baseCohort: string | null;
  declare position: number;
}

/** An investment priority a call funds, with its allocation. */
export class CallPriorityRow extends BaseModel {
  static override tableName = 'call_priorities';
  declare id: number;
  declare callId: string;
  declare position: number;
  declare code: string;
  declare title: string;
  declare allocationPence: number;
  declare participantIndicators: string[];
  declare resultIndicators: string[];
  static override jsonAttributes = ['participantIndicators', 'resultIndicators'];
}

/** A gap in provision the call wants filled; appraisers score bids against it. */
export class CallGapCriterionRow extends BaseModel {
  static override tableName = 'call_gap_criteria';
  declare id: number;
  declare callId: string;
  declare position: number;
  declare code: string;
  declare title: string;
  declare guidance: string;
  declare weight: number;
}

/** A core appraisal criterion with its weight and quality threshold. */
export class CallAppraisalCriterionRow extends BaseModel {
  static override tableName = 'call_appraisal_criteria';
  declare id: number;
  declare callId: string;
  declare position: number;
  declare code: string;
  declare title: string;
  declare guidance: string;
  declare weight: number;
  declare minimumScore: number;
}

/** A call for funding as stored; `stage` is read together with the clock (see calls/status.ts). */
export class CallRow extends BaseModel {
  static override tableName = 'calls';
  declare id: string;
  declare funderId: string;
  declare reference: string;
  declare title: string;
  declare lepArea: string;
  declare description: string;
  declare opensAt: Date;
  declare closesAt: Date;
  declare scheduledClosesAt: Date | null;
  declare interventionRatePercent: number;
  declare minProjectEsfPence: number;
  declare geography: string[];
  declare eligibleActivities: string[];
  declare stage: 'draft' | 'open' | 'closed' | 'appraisal' | 'decided';
  declare publishedAt: Date | null;
  /** The call's fields as published (callFields), written once by publishCall; null while a draft. */
  declare publishedFields: CallFields | null;
  declare priorities?: CallPriorityRow[];
  declare gapCriteria?: CallGapCriterionRow[];
  declare appraisalCriteria?: CallAppraisalCriterionRow[];
  static override jsonAttributes = ['geography', 'eligibleActivities', 'publishedFields'];

  static override get relationMappings() {
    return {
      priorities: {
        relation: BaseModel.HasManyRelation,
        modelClass: CallPriorityRow,
        join: { from: 'calls.id', to: 'call_priorities.callId' },
      },
      gapCriteria: {
        relation: BaseModel.HasManyRelation,
        modelClass: CallGapCriterionRow,
        join: { from: 'calls.id', to: 'call_gap_criteria.callId' },
      },
      appraisalCriteria: {
        relation: BaseModel.HasManyRelation,
        modelClass: CallAppraisalCriterionRow,
        join: { from: 'calls.id', to: 'call_appraisal_criteria.callId' },
      },
    };
  }
}

/** One append-only audit event. */
export class AuditEventRow extends BaseModel {
  static override tableName = 'audit_events';
  declare id: number;
  declare occurredAt: Date;
  declare actorId: string | null;
  /** The organisation the actor acted for when the event was written, if any. */
  declare actorOrganisationId: string | null;
  declare action: string;
  declare callId: string | null;
  declare bidId: string | null;
  declare before: unknown;
  declare after: unknown;
  static override jsonAttributes = ['before', 'after'];
  // Events are never updated, so no updated_at column.
  override $beforeUpdate(): void {}
}

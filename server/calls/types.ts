/** The shapes of a call as the API and the services see it (camelCase, money in pence, instants as Date). */

export type CallStatus = 'draft' | 'open' | 'closed' | 'appraisal' | 'decided';

export interface Priority {
  code: string;
  title: string;
  allocationPence: number;
  participantIndicators: string[];
  resultIndicators: string[];
}

export interface GapCriterion {
  code: string;
  title: string;
  guidance: string;
  weight: number;
}

export interface AppraisalCriterion {
  code: string;
  title: string;
  guidance: string;
  weight: number;
  minimumScore: number;
}

/** What an officer writes: the body of POST /calls and PUT /calls/:id. */
export interface CallFields {
  reference: string;
  title: string;
  lepArea: string;
  description: string;
  opensAt: string;
  closesAt: string;
  interventionRatePercent: number;
  minProjectEsfPence: number;
  geography: string[];
  eligibleActivities: string[];
  priorities: Priority[];
  gapCriteria: GapCriterion[];
  appraisalCriteria: AppraisalCriterion[];
}

export interface Call extends Omit<CallFields, 'opensAt' | 'closesAt'> {
  id: string;
  funderId: string;
  opensAt: Date;
  closesAt: Date;
  status: CallStatus;
}

export interface Indicator {
  code: string;
  kind: 'participant' | 'result';
  title: string;
  baseCohort: string | null;
}

/** A finding about a call or a bid: what was found and what was needed. */
export interface Finding {
  code: string;
  message: string;
}

/** The shapes of a bid as the API and the services see it (camelCase, money in pence). */

export type OrganisationType = 'vcs' | 'public' | 'private' | 'education' | 'health';
export type BidStatus = 'draft' | 'submitted' | 'withdrawn' | 'approved' | 'approved_with_conditions' | 'rejected';

export interface Partner {
  name: string;
  type: OrganisationType;
  role: 'lead' | 'delivery';
  charityNumber?: string;
  companyNumber?: string;
  esfPence: number;
  matchPence: number;
}

export interface BidPriority {
  code: string;
  esfPence: number;
}

export interface MatchLine {
  funder: string;
  sector: 'public' | 'private';
  kind: 'cash' | 'in_kind';
  amountPence: number;
  status: 'secured' | 'pending';
  evidenceAttachmentId?: string;
}

export interface Target {
  indicator: string;
  target: number;
}

export interface GapClaim {
  gapCode: string;
  narrative: string;
}

export interface Narrative {
  need?: string;
  activities?: string;
  delivery?: string;
  management?: string;
  crossCuttingThemes?: string;
}

/** What an applicant writes: the body of POST /calls/:id/bids and PUT /bids/:id; a draft may leave any out. */
export interface BidFields {
  title?: string;
  summary?: string;
  startDate?: string;
  endDate?: string;
  geography?: string[];
  narrative?: Narrative;
  partners?: Partner[];
  priorities?: BidPriority[];
  totalEligibleCostPence?: number;
  matchFunding?: MatchLine[];
  outputTargets?: Target[];
  resultTargets?: Target[];
  gapClaims?: GapClaim[];
}

/** One gateway check's outcome, stored with the submitted version. */
export interface GatewayCheck {
  code: string;
  passed: boolean;
  message: string;
}

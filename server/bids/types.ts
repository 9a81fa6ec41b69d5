/** The shapes of a bid as the API and the services see it (camelCase, money in pence). */

export type OrganisationType = 'vcs' | 'public' | 'private' | 'education' | 'health';
export type BidStatus = 'draft' | 'submitted' | 'withdrawn' | 'approved' | 'approved_with_conditions' | 'rejected';

export interface Partner {
  /** Set by the server; a write that keeps it keeps the partner's link (its organisation, its completion). */
  id?: string;
  name: string;
  type: OrganisationType;
  role: 'lead' | 'delivery';
  charityNumber?: string;
  companyNumber?: string;
  esfPence: number;
  matchPence: number;
  /** The organisation that acts as this partner: the bid's own for the lead, null until an invitation is accepted. */
  organisationId?: string | null;
  /** When the partner last marked its part complete; any later change to the part clears it. */
  completedAt?: string | null;
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
  /** The partner that declares the line; absent, the lead. */
  partnerId?: string;
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

import type { BidFields, BidStatus, GatewayCheck } from '../bids/types.ts';
import type { Finding } from '../calls/types.ts';
import { BaseModel } from './BaseModel.ts';

/** A bid: its working draft and where it stands. */
export class BidRow extends BaseModel {
  static override tableName = 'bids';
  declare id: string;
  declare callId: string;
  declare organisationId: string;
  declare reference: string;
  declare status: BidStatus;
  declare draft: BidFields;
  declare currentVersion: number | null;
  declare createdBy: string;
  declare createdAt: Date;
  /** Raised by every change to the draft: the ETag the API answers. */
  declare revision: number;
  /** The revision at which each top-level field of the draft last changed. */
  declare fieldRevisions: Partial<Record<keyof BidFields, number>>;
  static override jsonAttributes = ['draft', 'fieldRevisions'];
}

/** One submitted version: immutable, with its gateway result and receipt hash. */
export class BidVersionRow extends BaseModel {
  static override tableName = 'bid_versions';
  declare id: number;
  declare bidId: string;
  declare version: number;
  declare submittedAt: Date;
  declare submittedBy: string;
  declare canonicalJson: string;
  declare sha256: string;
  declare gateway: GatewayCheck[];
  declare gatewayPassed: boolean;
  declare flags: Finding[];
  declare esfPence: number;
  declare matchPence: number;
  declare totalEligibleCostPence: number;
  declare participants: number;
  /** A deadline submission, or the answer to a clarification after it. */
  declare kind?: 'submission' | 'clarification';
  static override jsonAttributes = ['gateway', 'flags'];
  override $beforeUpdate(): void {}
}

/** An uploaded file, its bytes kept in Postgres beside the bid. */
export class AttachmentRow extends BaseModel {
  static override tableName = 'attachments';
  declare id: string;
  declare bidId: string;
  declare filename: string;
  declare contentType: string;
  declare purpose: 'match-evidence' | 'supporting';
  declare sizeBytes: number;
  declare sha256: string;
  declare data: Buffer;
  declare uploadedBy: string;
  declare createdAt: Date;
  /** Set on a file uploaded after the deadline for the clarification that asked for it. */
  declare clarificationId?: string | null;
  /** The delivery partner whose part the file belongs to (its evidence letters); null, the bid's own. */
  declare partnerId?: string | null;
  override $beforeUpdate(): void {}
}

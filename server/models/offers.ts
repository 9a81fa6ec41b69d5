import { BaseModel } from './BaseModel.ts';

/** A partnership offer: what an organisation would deliver in someone's bid on an open call. */
export class OfferRow extends BaseModel {
  static override tableName = 'partnership_offers';
  declare id: string;
  declare callId: string;
  declare organisationId: string;
  declare summary: string;
  declare activities: string;
  declare geography: string[];
  declare priorities: string[];
  declare indicativeEsfPence: number;
  declare contactEmail: string;
  declare createdBy: string;
  declare createdAt: Date;
  static override jsonAttributes = ['geography', 'priorities'];
  override $beforeUpdate(): void {}
}

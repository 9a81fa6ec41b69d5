import { BaseModel } from './BaseModel.ts';

export type Role = 'officer' | 'applicant' | 'appraiser';

/** What an applicant is to their organisation: admins also invite and remove its people. */
export type OrganisationRole = 'admin' | 'member';

/** A LEP or managing authority that runs calls; its officers and appraisers see only its own. */
export class Funder extends BaseModel {
  static override tableName = 'funders';
  declare id: string;
  declare name: string;
}

/** An applicant organisation, usually the lead of a partnership. */
export class Organisation extends BaseModel {
  static override tableName = 'organisations';
  declare id: string;
  declare name: string;
  declare type: 'vcs' | 'public' | 'private' | 'education' | 'health';
  declare charityNumber: string | null;
  declare companyNumber: string | null;
}

/** A person who signs in, with exactly one role. */
export class User extends BaseModel {
  static override tableName = 'users';
  declare id: string;
  declare email: string;
  declare passwordHash: string;
  declare name: string;
  declare role: Role;
  declare funderId: string | null;
  declare organisationId: string | null;
  declare organisationRole: OrganisationRole | null;
  declare organisation?: Organisation;

  static override get relationMappings() {
    return {
      organisation: {
        relation: BaseModel.BelongsToOneRelation,
        modelClass: Organisation,
        join: { from: 'users.organisationId', to: 'organisations.id' },
      },
    };
  }
}

export type InvitationKind = 'organisation' | 'staff' | 'partner';

/** A single-use link to join an organisation, a funder's staff or a bid, bound to one address; the token is hashed. */
export class Invitation extends BaseModel {
  static override tableName = 'invitations';
  declare id: string;
  declare kind: InvitationKind;
  declare email: string;
  declare role: OrganisationRole | 'officer' | 'appraiser' | null;
  declare name: string | null;
  declare organisationId: string | null;
  declare funderId: string | null;
  declare bidId: string | null;
  declare partnerId: string | null;
  declare invitedBy: string;
  declare tokenHash: string;
  declare expiresAt: Date;
  declare acceptedAt: Date | null;
  declare acceptedBy: string | null;
  declare revokedAt: Date | null;
  declare createdAt: Date;
}

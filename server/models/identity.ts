import { BaseModel } from './BaseModel.ts';

export type Role = 'officer' | 'applicant' | 'appraiser';

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

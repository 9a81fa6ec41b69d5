/**
 * What each kind of invitation is to, and what accepting it does: one object per kind, so a new kind (a bid's
 * delivery partner) is one entry here. A kind with no entry cannot be opened or accepted (not found).
 */
import type { Knex } from 'knex';
import type { Actor } from '../context.ts';
import { Conflict, Validation } from '../errors.ts';
import type { Invitation, InvitationKind, OrganisationRole, User } from '../models/identity.ts';
import { insertOrganisation, insertUser } from '../identity/repository.ts';
import { findBid } from '../bids/repository.ts';
import { joinAsPartner, joinRefusalOf } from '../bids/service.ts';
import * as repository from './repository.ts';

/** What an invitation is to, as GET /api/v1/invitations/:token shows it. */
export interface InvitationTarget {
  organisation?: { name: string };
  funder?: { name: string };
  bid?: { id: string; reference: string; title: string };
  /** Why it can no longer be accepted, though its link still works (a bid whose call has closed). */
  refusal?: string;
}

/** The body of an acceptance by someone without an account (invitation.accept.schema.json). */
export interface AcceptBody {
  name: string;
  password: string;
  organisation?: {
    name: string;
    type: 'vcs' | 'public' | 'private' | 'education' | 'health';
    charityNumber?: string;
    companyNumber?: string;
  };
}

/** Who accepts: a new person's account details (the password already hashed), from the body they sent. */
export interface NewPerson {
  email: string;
  name: string;
  passwordHash: string;
  body: AcceptBody;
}

/** What accepting led to: the person, and for an invitation to a bid, the bid. */
export interface Admitted {
  userId: string;
  bidId?: string;
}

export interface InvitationKindRule {
  /** What the invitation is to, at `at`. */
  describe(db: Knex, invitation: Invitation, at: Date): Promise<InvitationTarget>;
  /** Admits a person who has an account with the invited address (signed in as it); a Conflict says why not. */
  admitExisting(trx: Knex.Transaction, invitation: Invitation, actor: Actor, at: Date): Promise<Admitted>;
  /** Creates the invited person's account, in what the invitation is to. */
  admitNew(trx: Knex.Transaction, invitation: Invitation, person: NewPerson, at: Date): Promise<Admitted>;
}

function refuseOrganisationField(person: NewPerson): void {
  if (person.body.organisation)
    throw new Validation('Only an invitation to be a partner in a bid registers an organisation', [
      { path: '/organisation', message: 'Leave this out: you are joining an organisation that is registered' },
    ]);
}

const organisation: InvitationKindRule = {
  async describe(db, invitation) {
    const found = await repository.findOrganisation(db, invitation.organisationId!);
    return { organisation: { name: found!.name } };
  },

  async admitExisting(trx, invitation, actor) {
    const name = (await repository.findOrganisation(trx, invitation.organisationId!))!.name;
    if (actor.role !== 'applicant')
      throw new Conflict(
        `This address has a funder's ${actor.role} account, which cannot also belong to ${name}. ` +
          'Ask for the invitation to be sent to another address.',
      );
    if (actor.organisationId === invitation.organisationId) throw new Conflict(`You already belong to ${name}`);
    if (actor.organisationId) {
      const current = (await repository.findOrganisation(trx, actor.organisationId))!.name;
      throw new Conflict(
        `You already belong to ${current}, and a person belongs to one organisation at a time. To join ${name}, ` +
          `ask an admin of ${current} to remove you, then open this link again, or ask for the invitation to be ` +
          'sent to another address.',
      );
    }
    await repository.lockOrganisation(trx, invitation.organisationId!);
    await repository.joinOrganisation(trx, actor.id, invitation.organisationId!, invitation.role as OrganisationRole);
    return { userId: actor.id };
  },

  async admitNew(trx, invitation, person) {
    refuseOrganisationField(person);
    const user: User = await insertUser(trx, {
      email: invitation.email,
      passwordHash: person.passwordHash,
      name: person.name,
      role: 'applicant',
      funderId: null,
      organisationId: invitation.organisationId,
      organisationRole: invitation.role as OrganisationRole,
    });
    return { userId: user.id };
  },
};

const staff: InvitationKindRule = {
  async describe(db, invitation) {
    const found = await repository.findFunder(db, invitation.funderId!);
    return { funder: { name: found!.name } };
  },

  async admitExisting(trx, invitation) {
    const name = (await repository.findFunder(trx, invitation.funderId!))!.name;
    // A person has one role: an account that exists already cannot become this funder's staff as well.
    throw new Conflict(
      `This address already has an account, which cannot also be ${name}'s ${invitation.role}. ` +
        'Ask for the invitation to be sent to another address.',
    );
  },

  async admitNew(trx, invitation, person) {
    refuseOrganisationField(person);
    const user = await insertUser(trx, {
      email: invitation.email,
      passwordHash: person.passwordHash,
      name: person.name,
      role: invitation.role as 'officer' | 'appraiser',
      funderId: invitation.funderId,
      organisationId: null,
    });
    return { userId: user.id };
  },
};

/**
 * An invitation to be a delivery partner in a bid: the accepting person's organisation becomes that partner (one
 * with no organisation registers one on acceptance, and is its admin). Joining is the bids' to write.
 */
const partner: InvitationKindRule = {
  async describe(db, invitation, at) {
    const bid = (await findBid(db, invitation.bidId!))!;
    const refusal = await joinRefusalOf(db, bid.id, at);
    return {
      bid: { id: bid.id, reference: bid.reference, title: bid.draft.title ?? 'Untitled bid' },
      ...(refusal ? { refusal } : {}),
    };
  },

  async admitExisting(trx, invitation, actor, at) {
    if (actor.role !== 'applicant')
      throw new Conflict(
        `This address has a funder's ${actor.role} account, which cannot be a partner in a bid. ` +
          'Ask for the invitation to be sent to another address.',
      );
    if (!actor.organisationId)
      throw new Conflict('You belong to no organisation: ask an organisation to add you, then open this link again');
    await joinAsPartner(trx, actor.id, invitation.bidId!, invitation.partnerId!, actor.organisationId, at);
    return { userId: actor.id, bidId: invitation.bidId! };
  },

  async admitNew(trx, invitation, person, at) {
    const registering = person.body.organisation;
    if (!registering)
      throw new Validation('Register the organisation you join the bid for', [
        { path: '/organisation', message: 'Give the name and type of your organisation' },
      ]);
    const organisation = await insertOrganisation(trx, {
      name: registering.name.trim(),
      type: registering.type,
      charityNumber: registering.charityNumber ?? null,
      companyNumber: registering.companyNumber ?? null,
    });
    const user = await insertUser(trx, {
      email: invitation.email,
      passwordHash: person.passwordHash,
      name: person.name,
      role: 'applicant',
      funderId: null,
      organisationId: organisation.id,
      organisationRole: 'admin',
    });
    await joinAsPartner(trx, user.id, invitation.bidId!, invitation.partnerId!, organisation.id, at);
    return { userId: user.id, bidId: invitation.bidId! };
  },
};

/** The rule of each kind of invitation. */
export const INVITATION_KINDS: Partial<Record<InvitationKind, InvitationKindRule>> = { organisation, staff, partner };

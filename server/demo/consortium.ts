/**
 * The demo's consortium and partnership offers on the open call, made through the services people use: Working
 * Well Derby drafts a bid, invites its delivery partner by e-mail, the partner's bid writer follows the link and
 * registers Derby Carers Network on the spot, fills in the partner's own part (its shares and the match it
 * declares) and marks it complete; two organisations offer partnership on the call.
 */
import type { Actor, AppContext } from '../context.ts';
import type { BidFields } from '../bids/types.ts';
import { completePartnerPart, createBid, invitePartner, replacePartnerPart } from '../bids/service.ts';
import { createOffer } from '../consortium/service.ts';
import { findUserById } from '../identity/repository.ts';
import { toActor } from '../identity/service.ts';
import { acceptInvitation } from '../people/service.ts';

/** The partner's bid writer: registered on accepting the invitation, with the demo's password. */
export const DEMO_PARTNER = {
  email: 'bids@derby-carers.example',
  name: 'Bid Writer (Derby Carers Network)',
  organisation: { name: 'Derby Carers Network', type: 'vcs', charityNumber: '1190003' },
} as const;

const PARTNER_ROW = {
  name: DEMO_PARTNER.organisation.name,
  type: DEMO_PARTNER.organisation.type,
  charityNumber: DEMO_PARTNER.organisation.charityNumber,
  esfPence: 15_000_000,
  matchPence: 15_000_000,
};

/** The consortium's draft as the lead writes it: £600,000 ESF at the 50% rate, the partner's shares typed in. */
function carersIntoWork(): BidFields {
  return {
    title: 'Carers into Work Derby',
    summary:
      'Unpaid carers in Derby supported back into work: flexible key work, respite while they train, and ' +
      'employers who offer carer-friendly jobs.',
    startDate: '2027-07-01',
    endDate: '2029-12-31',
    geography: ['Derby'],
    narrative: {
      need: 'Carers of working age leave work and rarely return; no service in Derby joins carer support and jobs.',
      activities: 'Key workers, respite while carers train, employer brokerage for carer-friendly vacancies.',
      delivery: 'The lead delivers key work and brokerage; Derby Carers Network finds carers and arranges respite.',
      management: 'A partnership board meets monthly; the lead holds the contract and checks claims quarterly.',
      crossCuttingThemes: 'Most unpaid carers are women: the project counts who it reaches and adapts outreach.',
    },
    partners: [
      {
        name: 'Working Well Derby Consortium',
        type: 'vcs',
        role: 'lead',
        charityNumber: '1190001',
        esfPence: 45_000_000,
        matchPence: 45_000_000,
      },
      { ...PARTNER_ROW, role: 'delivery', esfPence: 0, matchPence: 0 },
    ],
    priorities: [
      { code: '1.1', esfPence: 45_000_000 },
      { code: '2.1', esfPence: 15_000_000 },
    ],
    totalEligibleCostPence: 120_000_000,
    matchFunding: [
      { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 45_000_000, status: 'secured' },
    ],
    outputTargets: [
      { indicator: 'P-TOTAL', target: 450 },
      { indicator: 'P-INACT', target: 300 },
    ],
    resultTargets: [{ indicator: 'R-INACT-EMPJS', target: 120 }],
    gapClaims: [{ gapCode: 'GAP-GROUPS', narrative: 'Unpaid carers are missed by employment support in Derby.' }],
  };
}

/** The token of the newest invitation link e-mailed to `email`: the invited person opens the e-mail to follow it. */
async function linkEmailedTo(ctx: AppContext, email: string): Promise<string> {
  const mail = await ctx
    .knex('mail_outbox')
    .where({ toAddress: email, template: 'invitation' })
    .orderBy('id', 'desc')
    .first<{ textBody: string } | undefined>();
  const token = mail && /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.textBody)?.[1];
  if (!token) throw new Error(`The demo's invitation to ${email} has no link in the outbox`);
  return token;
}

/** Makes the consortium on the open call; answers the bid's id. */
export async function loadDemoConsortium(
  ctx: AppContext,
  callId: string,
  lead: Actor,
  password: string,
): Promise<string> {
  const { bid } = await createBid(ctx, lead, callId, carersIntoWork());
  const partnerId = bid.draft.partners!.find((p) => p.role === 'delivery')!.id!;
  await invitePartner(ctx, lead, bid.id, partnerId, { email: DEMO_PARTNER.email });
  const accepted = await acceptInvitation(ctx, undefined, await linkEmailedTo(ctx, DEMO_PARTNER.email), {
    name: DEMO_PARTNER.name,
    password,
    organisation: DEMO_PARTNER.organisation,
  });
  const partner = toActor((await findUserById(ctx.knex, accepted.user.id))!);
  await replacePartnerPart(ctx, partner, bid.id, partnerId, {
    partner: PARTNER_ROW,
    matchFunding: [
      {
        funder: 'Derby Carers Network (reserves)',
        sector: 'private',
        kind: 'cash',
        amountPence: 10_000_000,
        status: 'secured',
      },
      {
        funder: 'Respite volunteers (time)',
        sector: 'private',
        kind: 'in_kind',
        amountPence: 5_000_000,
        status: 'pending',
      },
    ],
  });
  await completePartnerPart(ctx, partner, bid.id, partnerId);
  return bid.id;
}

/** Two partnership offers on the open call: a VCS organisation in no bid yet, and a lead open to partnering. */
export async function loadDemoOffers(
  ctx: AppContext,
  callId: string,
  offerers: { amberValley: Actor; nottsPathways: Actor },
): Promise<void> {
  await createOffer(ctx, offerers.amberValley, callId, {
    summary: 'Peer support for people with mental health conditions in Amber Valley and Erewash',
    activities:
      'Peer mentors with lived experience, wellbeing courses and a work-readiness group, from our Ripley and ' +
      'Ilkeston centres; we have run IAPT-linked groups since 2015.',
    geography: ['Derbyshire'],
    priorities: ['1.4'],
    indicativeEsfPence: 12_000_000,
    contactEmail: 'bids@amber-valley-mind.example',
  });
  await createOffer(ctx, offerers.nottsPathways, callId, {
    summary: 'Job brokerage with Nottinghamshire employers',
    activities:
      'Employer engagement, vacancy matching and in-work support for six months, for any bid reaching people in ' +
      'Nottingham and Nottinghamshire.',
    geography: ['Nottingham', 'Nottinghamshire'],
    priorities: ['1.1', '2.1'],
    indicativeEsfPence: 20_000_000,
    contactEmail: 'bids@notts-pathways.example',
  });
}

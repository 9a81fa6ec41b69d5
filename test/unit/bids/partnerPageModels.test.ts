import { expect } from 'chai';
import {
  ownPartTask,
  partCard,
  partnerList,
  partnerStanding,
  partValues,
  readPart,
} from '../../../server/bids/partnerPageModels.ts';
import type { BidFields, Partner } from '../../../server/bids/types.ts';
import { FormReader } from '../../../server/web/forms.ts';

const now = new Date('2027-01-10T12:00:00Z');
const lead: Partner = {
  id: 'lead-id',
  name: 'Derby Community Partnership',
  type: 'vcs',
  role: 'lead',
  esfPence: 40_000_000,
  matchPence: 30_000_000,
  organisationId: 'org-lead',
  completedAt: null,
};
const college: Partner = {
  id: 'college-id',
  name: 'Derby College',
  type: 'education',
  role: 'delivery',
  companyNumber: '01234567',
  esfPence: 20_000_000,
  matchPence: 30_000_000,
  organisationId: null,
  completedAt: null,
};
const fields = (partners: Partner[]): BidFields => ({
  partners,
  matchFunding: [
    { funder: 'Derby City Council', sector: 'public', kind: 'cash', amountPence: 30_000_000, status: 'secured' },
    {
      funder: 'College reserves',
      sector: 'public',
      kind: 'cash',
      amountPence: 30_000_000,
      status: 'pending',
      partnerId: 'college-id',
    },
  ],
});
const invitation = (expiresAt: string, acceptedAt: Date | null = null) => ({
  partnerId: 'college-id',
  email: 'contact@college.example',
  expiresAt: new Date(expiresAt),
  acceptedAt,
  revokedAt: null,
});

describe("the consortium pages' models", () => {
  describe('partnerStanding', () => {
    it('is not invited with no invitation, or one that has expired', () => {
      expect(partnerStanding(college, undefined, now)).to.equal('not-invited');
      expect(partnerStanding(college, invitation('2027-01-10T12:00:00Z'), now)).to.equal('not-invited');
    });

    it('is invited while the invitation is live, up to a millisecond before it expires', () => {
      expect(partnerStanding(college, invitation('2027-01-10T12:00:00.001Z'), now)).to.equal('invited');
    });

    it('is joined once an organisation joined as the partner, and complete once its part is marked so', () => {
      const joined = { ...college, organisationId: 'org-college' };
      expect(partnerStanding(joined, invitation('2027-01-01T00:00:00Z', new Date()), now)).to.equal('joined');
      expect(partnerStanding({ ...joined, completedAt: '2027-01-09T10:00:00Z' }, undefined, now)).to.equal('complete');
    });
  });

  describe('partnerList', () => {
    it("gives the lead's row no actions, and a partner not yet joined its part, an invitation and removal", () => {
      const [first, second] = partnerList('bid-1', fields([lead, college]), [], now, true);
      expect(first).to.include({ name: 'Derby Community Partnership', lead: true });
      expect(first.actions).to.deep.equal([]);
      expect(second.tag).to.deep.equal({ text: 'Not invited', tagClass: 'govuk-tag--grey' });
      expect(second.actions.map((a) => a.text)).to.deep.equal(['Change its part', 'Invite', 'Remove']);
    });

    it('counts only the newest invitation, offers it again while live, and says when an old one expired', () => {
      const live = partnerList(
        'bid-1',
        fields([lead, college]),
        [invitation('2027-01-12T00:00:00Z'), invitation('2027-01-01T00:00:00Z')],
        now,
        true,
      )[1];
      expect(live.standing).to.equal('invited');
      expect(live.actions.map((a) => a.text)).to.include('Invite again');
      expect(live.hint).to.match(/^Invitation sent to contact@college\.example; the link works until 12 January 2027/);
      const expired = partnerList('bid-1', fields([lead, college]), [invitation('2027-01-01T00:00:00Z')], now, true)[1];
      expect(expired.hint).to.match(/^The invitation to contact@college\.example expired on 1 January 2027/);
    });

    it('offers no invitation to a joined partner, and only its part to read once the bid cannot change', () => {
      const joined = { ...college, organisationId: 'org-college' };
      expect(partnerList('b', fields([lead, joined]), [], now, true)[1].actions.map((a) => a.text)).to.deep.equal([
        'Change its part',
        'Remove',
      ]);
      expect(partnerList('b', fields([lead, joined]), [], now, false)[1].actions).to.deep.equal([
        { href: '/bids/b/partners/college-id/part', text: 'See its part' },
      ]);
    });
  });

  it("marks a member's own part complete or incomplete", () => {
    expect(ownPartTask('b', college).status).to.deep.equal({ text: 'Incomplete', tagClass: 'govuk-tag--blue' });
    expect(ownPartTask('b', { ...college, completedAt: '2027-01-09T10:00:00Z' }).status).to.deep.equal({
      text: 'Completed',
    });
  });

  it('fills the part form with the partner row and only the lines it declares, money in pounds', () => {
    expect(partValues(fields([lead, college]), college)).to.deep.equal({
      'partner-name': 'Derby College',
      'partner-type': 'education',
      'partner-companyNumber': '01234567',
      'partner-esfPence': '200,000.00',
      'partner-matchPence': '300,000.00',
      'matchFunding-0-funder': 'College reserves',
      'matchFunding-0-sector': 'public',
      'matchFunding-0-kind': 'cash',
      'matchFunding-0-status': 'pending',
      'matchFunding-0-amountPence': '300,000.00',
    });
  });

  it('reads a posted part: blank lines left out, company numbers in capitals, money typos as problems', () => {
    const form = new FormReader({
      'partner-name': ' Derby College ',
      'partner-type': 'education',
      'partner-companyNumber': 'sc123456',
      'partner-esfPence': '£200,000',
      'partner-matchPence': 'lots',
      'matchFunding-0-funder': '',
      'matchFunding-0-amountPence': '',
      'matchFunding-1-funder': 'College reserves',
      'matchFunding-1-sector': 'public',
      'matchFunding-1-kind': 'cash',
      'matchFunding-1-amountPence': '1,000',
      'matchFunding-1-status': 'pending',
    });
    expect(readPart(form)).to.deep.equal({
      partner: { name: 'Derby College', type: 'education', companyNumber: 'SC123456', esfPence: 20_000_000 },
      matchFunding: [
        { funder: 'College reserves', sector: 'public', kind: 'cash', amountPence: 100_000, status: 'pending' },
      ],
    });
    expect(form.problems.map((p) => p.path)).to.deep.equal(['/partner/matchPence']);
  });

  it("shows a part's card with its lines and their letters, or none declared", () => {
    const card = partCard(fields([lead, college]), college, []);
    expect(card.rows.map((r) => r.key)).to.deep.equal([
      'Organisation',
      'Share of the ESF',
      'Share of the match funding',
      'College reserves',
    ]);
    const none = partCard({ partners: [lead, college] }, college, []);
    expect(none.rows.at(-1)).to.deep.equal({ key: 'Match funding lines', lines: ['None declared'] });
  });
});

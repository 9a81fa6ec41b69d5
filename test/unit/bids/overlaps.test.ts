import { expect } from 'chai';
import { findOverlaps, normalisedName, overlapsOfBid, type OverlapBid } from '../../../server/bids/overlaps.ts';
import type { Partner } from '../../../server/bids/types.ts';

const partner = (overrides: Partial<Partner>): Partner => ({
  name: 'Somebody',
  type: 'vcs',
  role: 'delivery',
  esfPence: 100,
  matchPence: 0,
  ...overrides,
});
const bid = (reference: string, partners: Partner[]): OverlapBid => ({ bidId: `id-${reference}`, reference, partners });

describe('overlaps: organisations in more than one submitted bid', () => {
  it('normalises names: case, accents, punctuation, "&", a leading "The", legal suffixes', () => {
    expect(normalisedName('The Derby Café & Bistro Ltd.')).to.equal('derby cafe and bistro');
    expect(normalisedName('DERBY CAFE AND BISTRO LIMITED')).to.equal('derby cafe and bistro');
    expect(normalisedName('  Rural   Action, Derbyshire CIC ')).to.equal('rural action derbyshire');
    expect(normalisedName('Limited Horizons')).to.equal('limited horizons');
  });

  it('matches by charity number whatever the names say, with its role and ESF in each bid and in total', () => {
    const overlaps = findOverlaps([
      bid('B-002', [partner({ name: 'Derby CVS', charityNumber: '1164883', role: 'lead', esfPence: 400 })]),
      bid('B-001', [partner({ name: 'Derby Council for Voluntary Service', charityNumber: '1164883', esfPence: 50 })]),
      bid('B-003', [partner({ name: 'Derby CVS', charityNumber: '9999999' })]),
    ]);
    expect(overlaps).to.deep.equal([
      {
        organisation: { name: 'Derby CVS', charityNumber: '1164883' },
        bids: [
          { bidId: 'id-B-001', reference: 'B-001', role: 'delivery', esfPence: 50 },
          { bidId: 'id-B-002', reference: 'B-002', role: 'lead', esfPence: 400 },
        ],
        totalEsfPence: 450,
      },
    ]);
  });

  it('joins a charity number and a company number given together on one row', () => {
    const overlaps = findOverlaps([
      bid('B-001', [partner({ name: 'A', charityNumber: '1111111' })]),
      bid('B-002', [partner({ name: 'B', charityNumber: '1111111', companyNumber: '01234567' })]),
      bid('B-003', [partner({ name: 'C', companyNumber: '01234567' })]),
    ]);
    expect(overlaps).to.have.length(1);
    expect(overlaps[0].bids.map((b) => b.reference)).to.deep.equal(['B-001', 'B-002', 'B-003']);
    expect(overlaps[0].organisation).to.deep.include({ charityNumber: '1111111', companyNumber: '01234567' });
  });

  it('matches rows without numbers by normalised name, and to the one numbered organisation of that name', () => {
    const overlaps = findOverlaps([
      bid('B-001', [partner({ name: 'Rural Action Derbyshire' })]),
      bid('B-002', [partner({ name: 'rural action derbyshire ltd' })]),
      bid('B-003', [partner({ name: 'Derby College', companyNumber: '01234567' })]),
      bid('B-004', [partner({ name: 'The Derby College' })]),
    ]);
    expect(overlaps.map((o) => [o.organisation.name, o.bids.map((b) => b.reference)])).to.have.deep.members([
      ['Rural Action Derbyshire', ['B-001', 'B-002']],
      ['Derby College', ['B-003', 'B-004']],
    ]);
  });

  it('keeps apart two numbered organisations of one name, and a number-less row that cannot tell them apart', () => {
    const overlaps = findOverlaps([
      bid('B-001', [partner({ name: 'Citizens Advice', charityNumber: '1000001' })]),
      bid('B-002', [partner({ name: 'Citizens Advice', charityNumber: '1000002' })]),
      bid('B-003', [partner({ name: 'Citizens Advice' })]),
    ]);
    expect(overlaps).to.deep.equal([]);
  });

  it('counts an organisation twice in one bid as one bid, and lists only what concerns a bid', () => {
    const twiceInOne = findOverlaps([
      bid('B-001', [partner({ charityNumber: '1234567' }), partner({ charityNumber: '1234567' })]),
    ]);
    expect(twiceInOne).to.deep.equal([]);
    const overlaps = findOverlaps([
      bid('B-001', [partner({ name: 'X', charityNumber: '1234567' })]),
      bid('B-002', [
        partner({ name: 'X', charityNumber: '1234567' }),
        partner({ name: 'Y', companyNumber: 'SC123456' }),
      ]),
      bid('B-003', [partner({ name: 'Y', companyNumber: 'SC123456' })]),
    ]);
    expect(overlapsOfBid(overlaps, 'id-B-001').map((o) => o.organisation.name)).to.deep.equal(['X']);
    expect(overlapsOfBid(overlaps, 'id-B-002').map((o) => o.organisation.name)).to.have.members(['X', 'Y']);
  });
});

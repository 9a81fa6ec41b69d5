/**
 * Capacity and overlap: the organisations that appear in more than one submitted bid of a call, matched by charity
 * or company number (or the organisation that joined as the partner), and by normalised name only where a partner
 * row gives no number. Pure.
 */
import type { Partner } from './types.ts';

/** A submitted bid's partners, as the overlap reads them. */
export interface OverlapBid {
  bidId: string;
  reference: string;
  partners: Partner[];
}

/** One organisation found in more than one bid, with its role and ESF in each. */
export interface Overlap {
  organisation: { name: string; charityNumber?: string; companyNumber?: string };
  bids: { bidId: string; reference: string; role: Partner['role']; esfPence: number }[];
  totalEsfPence: number;
}

const SUFFIXES = /\s+(limited|ltd|cic|cio|plc|llp|incorporated|inc|trust limited)$/;

/** A name as the overlap compares it: case, accents, punctuation, "&", a leading "The" and a legal suffix aside. */
export function normalisedName(name: string): string {
  let text = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('&', ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the\s+/, '');
  while (SUFFIXES.test(text)) text = text.replace(SUFFIXES, '');
  return text;
}

/** The keys a partner row is known by: its numbers and joined organisation, or else its name. */
function keysOf(partner: Partner): { numbered: string[]; name: string } {
  const numbered = [
    ...(partner.charityNumber ? [`charity:${partner.charityNumber}`] : []),
    ...(partner.companyNumber ? [`company:${partner.companyNumber.toUpperCase()}`] : []),
    ...(partner.organisationId ? [`organisation:${partner.organisationId}`] : []),
  ];
  return { numbered, name: `name:${normalisedName(partner.name)}` };
}

interface Row {
  bid: OverlapBid;
  partner: Partner;
  index: number;
}

/** The bids' partner rows grouped by the organisation they are. */
function organisations(bids: OverlapBid[]): Row[][] {
  // Union-find over keys: rows sharing any number are one organisation.
  const parent = new Map<string, string>();
  const root = (key: string): string => {
    let current = key;
    while (parent.has(current) && parent.get(current) !== current) current = parent.get(current)!;
    parent.set(key, current);
    return current;
  };
  const join = (a: string, b: string) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent.set(rb, ra);
  };
  const rows = bids.flatMap((bid) =>
    bid.partners.map((partner, index) => ({ bid, partner, index, keys: keysOf(partner) })),
  );
  for (const { keys } of rows) {
    if (keys.numbered.length === 0) continue;
    for (const key of keys.numbered) if (!parent.has(key)) parent.set(key, key);
    for (const key of keys.numbered.slice(1)) join(keys.numbered[0], key);
  }
  // A row with no number joins the numbered organisation of its name when exactly one has that name; two
  // organisations with different numbers and one name stay apart, and so does a row that cannot tell them apart.
  const numberedByName = new Map<string, Set<string>>();
  for (const { keys } of rows)
    if (keys.numbered.length > 0) {
      const set = numberedByName.get(keys.name) ?? new Set<string>();
      set.add(root(keys.numbered[0]));
      numberedByName.set(keys.name, set);
    }
  const groupOf = (keys: { numbered: string[]; name: string }): string => {
    if (keys.numbered.length > 0) return root(keys.numbered[0]);
    const numbered = numberedByName.get(keys.name);
    if (numbered && numbered.size === 1) return root([...numbered][0]);
    return keys.name;
  };

  const groups = new Map<string, Row[]>();
  for (const { keys, ...row } of rows) {
    const group = groupOf(keys);
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  return [...groups.values()].filter((members) => new Set(members.map((m) => m.bid.bidId)).size > 1);
}

/** Organisations in more than one of the bids, largest total ESF first. */
export function findOverlaps(bids: OverlapBid[]): Overlap[] {
  const overlaps: Overlap[] = [];
  for (const members of organisations(bids)) {
    const named = members.find((m) => m.partner.charityNumber || m.partner.companyNumber) ?? members[0];
    const charityNumber = members.find((m) => m.partner.charityNumber)?.partner.charityNumber;
    const companyNumber = members.find((m) => m.partner.companyNumber)?.partner.companyNumber;
    const entries = members.map(({ bid, partner }) => ({
      bidId: bid.bidId,
      reference: bid.reference,
      role: partner.role,
      esfPence: partner.esfPence,
    }));
    overlaps.push({
      organisation: {
        name: named.partner.name,
        ...(charityNumber ? { charityNumber } : {}),
        ...(companyNumber ? { companyNumber } : {}),
      },
      bids: entries.sort((a, b) => a.reference.localeCompare(b.reference)),
      totalEsfPence: entries.reduce((total, entry) => total + entry.esfPence, 0),
    });
  }
  return overlaps.sort(
    (a, b) => b.totalEsfPence - a.totalEsfPence || a.organisation.name.localeCompare(b.organisation.name),
  );
}

/** The overlaps that concern one bid: its partners found in other bids. */
export function overlapsOfBid(overlaps: Overlap[], bidId: string): Overlap[] {
  return overlaps.filter((overlap) => overlap.bids.some((entry) => entry.bidId === bidId));
}

/** For each partner row found in other bids (keyed `bidId/partner index`), the references of those other bids. */
export function otherBidsOfRows(bids: OverlapBid[]): Map<string, string[]> {
  const others = new Map<string, string[]>();
  for (const members of organisations(bids))
    for (const { bid, index } of members) {
      const references = new Set(members.filter((m) => m.bid.bidId !== bid.bidId).map((m) => m.bid.reference));
      others.set(`${bid.bidId}/${index}`, [...references].sort());
    }
  return others;
}

/**
 * A bid as a consortium's: partners with identities, and each partner's part (its row and the match lines it
 * declares). Pure: the service asks these what a write means before it saves it.
 */
import type { ErrorDetail } from '../errors.ts';
import { normalisedName } from './overlaps.ts';
import { canonicalJson, sha256Hex } from './receipt.ts';
import type { BidFields, MatchLine, Partner } from './types.ts';

/** What a partner writes of its own row: everything but its identity, its role and its completion. */
export interface PartnerRow {
  name: string;
  type: Partner['type'];
  charityNumber?: string;
  companyNumber?: string;
  esfPence: number;
  matchPence: number;
}

/** One partner's part of a bid: its row and the match lines it declares. */
export interface PartnerPart {
  partner: PartnerRow;
  /** Left out: the partner declares no lines. */
  matchFunding?: MatchLine[];
}

/** The lead partner's row: the first with the lead's role. */
export function leadOf(fields: BidFields): Partner | undefined {
  return (fields.partners ?? []).find((partner) => partner.role === 'lead');
}

/** The id of the partner that declares a line: the one it names, else the lead. */
export function lineOwner(fields: BidFields, line: MatchLine): string | undefined {
  return line.partnerId ?? leadOf(fields)?.id;
}

/** The match lines a partner declares, in the bid's order. */
export function linesOf(fields: BidFields, partnerId: string): MatchLine[] {
  return (fields.matchFunding ?? []).filter((line) => lineOwner(fields, line) === partnerId);
}

/** A part as text, so two can be compared: the row as the partner writes it, and its lines. */
function partText(fields: BidFields, partner: Partner): string {
  const { id: _id, organisationId: _organisation, completedAt: _completed, ...row } = partner;
  const lines = linesOf(fields, partner.id!).map(({ partnerId: _partner, ...line }) => line);
  return canonicalJson({ row, lines });
}

/** A digest of a partner's part as it stands (not its completion), for a page to tell whether it changed since. */
export function partDigest(fields: BidFields, partnerId: string): string {
  const found = (fields.partners ?? []).find((partner) => partner.id === partnerId);
  return found ? sha256Hex(partText(fields, found)) : '';
}

/**
 * The fields a write sends, with every partner's identity settled against what is stored: a partner keeps the id it
 * is sent with (one without is new and gets `newId()`), its organisation and completion are the stored partner's
 * (the lead's organisation is always the bid's own), and a part that the write changes is no longer complete. A
 * line may name only a partner the written bid has. Problems are answered at their JSON pointers.
 */
export function withPartnerIdentities(
  stored: BidFields,
  incoming: BidFields,
  bidOrganisationId: string,
  newId: () => string,
): { fields: BidFields; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  if (!incoming.partners) {
    const fields = { ...incoming };
    (incoming.matchFunding ?? []).forEach((line, i) => {
      if (line.partnerId !== undefined)
        problems.push({ path: `/matchFunding/${i}/partnerId`, message: 'The bid has no partner with this id' });
    });
    return { fields, problems };
  }
  const storedById = new Map((stored.partners ?? []).filter((p) => p.id).map((p) => [p.id!, p]));
  const seen = new Set<string>();
  const partners = incoming.partners.map((partner, i): Partner => {
    const id = partner.id ?? newId();
    if (seen.has(id)) problems.push({ path: `/partners/${i}/id`, message: 'Another partner has the same id' });
    seen.add(id);
    const before = storedById.get(id);
    const organisationId =
      partner.role === 'lead'
        ? bidOrganisationId
        : before?.role === 'delivery'
          ? (before.organisationId ?? null)
          : null;
    return { ...partner, id, organisationId, completedAt: before?.completedAt ?? null };
  });
  const fields: BidFields = { ...incoming, partners };
  (incoming.matchFunding ?? []).forEach((line, i) => {
    if (line.partnerId !== undefined && !seen.has(line.partnerId))
      problems.push({ path: `/matchFunding/${i}/partnerId`, message: 'The bid has no partner with this id' });
  });
  for (const partner of partners) {
    const before = storedById.get(partner.id!);
    if (partner.completedAt && before && partText(stored, before) !== partText(fields, partner))
      partner.completedAt = null;
  }
  return { fields, problems };
}

/** The partner of an id in a bid, and where it stands in the list. */
export function findPartner(fields: BidFields, partnerId: string): { partner: Partner; index: number } | undefined {
  const index = (fields.partners ?? []).findIndex((partner) => partner.id === partnerId);
  return index < 0 ? undefined : { partner: fields.partners![index], index };
}

/**
 * The bid with one partner's part replaced: its row's fields (its id, role, organisation and completion stay) and
 * its match lines, which take the place of its first old one (the end when it had none); others' lines stay as
 * they are. The lead's lines name no partner, as lines always have.
 */
export function withPart(fields: BidFields, partnerId: string, part: PartnerPart): BidFields {
  const { partner: current } = findPartner(fields, partnerId)!;
  const isLead = leadOf(fields)?.id === partnerId;
  const row: Partner = {
    id: current.id,
    ...part.partner,
    role: current.role,
    organisationId: current.organisationId ?? null,
    completedAt: current.completedAt ?? null,
  };
  const lines = (part.matchFunding ?? []).map(({ partnerId: _named, ...line }: MatchLine) =>
    isLead ? line : { ...line, partnerId },
  );
  const all = fields.matchFunding ?? [];
  const first = all.findIndex((line) => lineOwner(fields, line) === partnerId);
  const others = all.filter((line) => lineOwner(fields, line) !== partnerId);
  const at = first < 0 ? others.length : all.slice(0, first).filter((l) => lineOwner(fields, l) !== partnerId).length;
  const matchFunding = [...others.slice(0, at), ...lines, ...others.slice(at)];
  const { matchFunding: _old, ...rest } = fields;
  return {
    ...rest,
    partners: fields.partners!.map((partner) => (partner.id === partnerId ? row : partner)),
    ...(matchFunding.length > 0 ? { matchFunding } : {}),
  };
}

/** The bid without a partner and the lines it declares. */
export function withoutPartner(fields: BidFields, partnerId: string): BidFields {
  const matchFunding = (fields.matchFunding ?? []).filter((line) => lineOwner(fields, line) !== partnerId);
  const { matchFunding: _old, ...rest } = fields;
  return {
    ...rest,
    partners: (fields.partners ?? []).filter((partner) => partner.id !== partnerId),
    ...(matchFunding.length > 0 ? { matchFunding } : {}),
  };
}

/** The bid with a partner's part marked complete at `at`. */
export function withPartComplete(fields: BidFields, partnerId: string, at: Date): BidFields {
  return {
    ...fields,
    partners: (fields.partners ?? []).map((partner) =>
      partner.id === partnerId ? { ...partner, completedAt: at.toISOString() } : partner,
    ),
  };
}

/** The bid with a partner joined by the organisation that accepted its invitation. */
export function withPartnerJoined(fields: BidFields, partnerId: string, organisationId: string): BidFields {
  return {
    ...fields,
    partners: (fields.partners ?? []).map((partner) =>
      partner.id === partnerId ? { ...partner, organisationId } : partner,
    ),
  };
}

/**
 * What stops a submission: each delivery partner that was invited (or has joined) but has not accepted its
 * invitation, or has not marked its part complete, at its JSON pointer.
 */
export function partnersNotReady(fields: BidFields, invited: ReadonlySet<string>): ErrorDetail[] {
  return (fields.partners ?? []).flatMap((partner, i): ErrorDetail[] => {
    if (partner.role !== 'delivery' || !(invited.has(partner.id ?? '') || partner.organisationId)) return [];
    if (!partner.organisationId)
      return [{ path: `/partners/${i}`, message: `${partner.name} has not accepted its invitation to the bid yet` }];
    if (!partner.completedAt)
      return [{ path: `/partners/${i}`, message: `${partner.name} has not marked its part of the bid complete` }];
    return [];
  });
}

/** The top-level fields whose value differs between two drafts. */
export function changedFields(before: BidFields, after: BidFields): (keyof BidFields)[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof BidFields)[]);
  return [...keys].filter((key) => canonicalJson(before[key] ?? null) !== canonicalJson(after[key] ?? null));
}

/** An organisation as a bid's partner rows may already name it: the one that joined, its numbers, its name. */
export interface OrganisationIdentity {
  id: string;
  name: string;
  charityNumber?: string | null;
  companyNumber?: string | null;
}

/**
 * The partner row that already stands for an organisation in a bid, if any: the row it joined as (or leads), a row
 * with its charity or company number, or a row of the same name as overlaps.ts compares names.
 */
export function partnerStandingFor(fields: BidFields, organisation: OrganisationIdentity): Partner | undefined {
  const name = normalisedName(organisation.name);
  return (fields.partners ?? []).find(
    (partner) =>
      partner.organisationId === organisation.id ||
      (!!organisation.charityNumber && partner.charityNumber === organisation.charityNumber) ||
      (!!organisation.companyNumber && partner.companyNumber === organisation.companyNumber) ||
      normalisedName(partner.name) === name,
  );
}

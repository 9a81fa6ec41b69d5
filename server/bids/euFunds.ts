/**
 * "Match must come from outside EU funds" (DESIGN.md, Bid): which match funders name an EU fund.
 *
 * A match line records its funder as free text, so the rule reads that text. The full names of the EU's funds
 * count wherever they appear ("European Regional Development Fund (Priority Axis 1)"). An acronym counts only
 * when it is the whole name, or the whole name but a word such as "fund" or "grant" ("ERDF grant"): co-financing
 * bodies often mention ESF beside their own names ("Big Lottery Fund, ESF co-financing") while the match they
 * give is their own domestic money, and a bid must not fail its gateway on a mention.
 */

/** An EU fund a funder's text names, as people read it. */
export interface EuFund {
  name: string;
  acronym?: string;
}

const EU_FUNDS: readonly EuFund[] = [
  { name: 'European Social Fund', acronym: 'ESF' },
  { name: 'European Regional Development Fund', acronym: 'ERDF' },
  { name: 'European Agricultural Fund for Rural Development', acronym: 'EAFRD' },
  { name: 'European Maritime and Fisheries Fund', acronym: 'EMFF' },
  { name: 'European Structural and Investment Funds', acronym: 'ESIF' },
  { name: 'European Globalisation Adjustment Fund', acronym: 'EGF' },
  { name: 'Youth Employment Initiative', acronym: 'YEI' },
  { name: 'Cohesion Fund' },
  { name: 'European Union' },
  { name: 'European Commission' },
];

/** Words that may stand beside an acronym without changing what it names ("ESF grant", "the ERDF funding"). */
const FILLER = new Set(['the', 'fund', 'funds', 'funding', 'grant', 'grants', 'money', 'programme', 'program', 'eu']);

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** Each fund's name as the words `words` makes of it, padded so that only whole words match. */
const FULL_NAMES = EU_FUNDS.map((fund) => ({ fund, phrase: ` ${words(fund.name).join(' ')} ` }));

/** The EU fund a match funder's text names, or null when it names none. */
export function euFundNamed(funder: string): EuFund | null {
  const all = words(funder);
  const text = ` ${all.join(' ')} `;
  const named = FULL_NAMES.find(({ phrase }) => text.includes(phrase));
  if (named) return named.fund;
  const rest = all.filter((word) => !FILLER.has(word));
  if (rest.length !== 1) {
    // "EU funds", "EU grant": the Union's money under its own initials.
    return rest.length === 0 && all.includes('eu') ? { name: 'European Union', acronym: 'EU' } : null;
  }
  return EU_FUNDS.find((fund) => fund.acronym?.toLowerCase() === rest[0]) ?? null;
}

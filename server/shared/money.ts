/**
 * Money is integer pence everywhere; pounds appear only when shown to people.
 * These two functions are the only place pounds are turned into pence and back.
 */

const POUNDS_PATTERN = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?$/;

/** Formats integer pence as pounds for people: 49999999 → "£499,999.99", -150 → "-£1.50". */
export function formatPounds(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new TypeError(`Money must be whole pence, got ${pence}`);
  const sign = pence < 0 ? '-' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${sign}£${pounds}.${rest}`;
}

/**
 * Reads money as people type it ("£500,000", "500000.00", "1,234.5" is refused) into pence,
 * or returns null when the text is not an amount of money: a typo is answered, never guessed.
 */
export function parsePounds(text: string): number | null {
  const match = POUNDS_PATTERN.exec(text.trim());
  if (!match) return null;
  const pounds = Number(match[1].replaceAll(',', ''));
  const pence = pounds * 100 + (match[2] === undefined ? 0 : Number(match[2]));
  return Number.isSafeInteger(pence) ? pence : null;
}

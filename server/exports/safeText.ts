/**
 * Text from users on its way into a spreadsheet. Cells are always written as strings (never `{formula}`), so
 * nothing is evaluated when the file opens; text cells also carry the Text number format ("@") so that editing
 * one and pressing Enter keeps it text, where Excel would otherwise read `=HYPERLINK(…)` as a formula. ExcelJS
 * cannot write the `quotePrefix` style, and a leading apostrophe would be shown, so neither is used.
 */

/** Excel's limit on the characters in one cell. */
export const MAX_CELL_CHARACTERS = 32_767;

/** The Text number format: what is typed into the cell stays text. */
export const TEXT_FORMAT = '@';

// Characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and U+FFFF):
// left in, they would make the whole workbook unreadable.
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text made fit for a cell: characters XML cannot hold removed, cut to Excel's limit with an ellipsis. */
export function safeText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const clean = value.replace(NOT_XML, '');
  if (clean.length <= MAX_CELL_CHARACTERS) return clean;
  // Cut on a code point boundary so no lone surrogate is left at the end.
  let cut = MAX_CELL_CHARACTERS - 1;
  if (/[\uD800-\uDBFF]/.test(clean[cut - 1])) cut -= 1;
  return `${clean.slice(0, cut)}…`;
}

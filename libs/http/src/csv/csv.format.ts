/**
 * RFC 4180 text with a defence against formula injection. A spreadsheet treats a cell
 * starting with = + - @ (and tab or CR, which some strip first) as a formula, so such text
 * cells are prefixed with a single quote: the cell shows the text and computes nothing.
 * Numbers are written as they are (`-5` is a number, not a formula); text that merely looks
 * like a negative number ("-5") is prefixed like any other text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  return quote(cellText(value));
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  // Nested values are written as JSON, which starts with { or [ and so can't be a formula.
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

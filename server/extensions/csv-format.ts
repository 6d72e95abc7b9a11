// RFC 4180 CSV writing, with a guard against formula injection in free-text cells. Pure, no I/O.

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": = + - @ tab CR first), or one
 * that already looks defused (quotes before such a character), so that defusing can be undone exactly.
 */
const NEEDS_DEFUSING = /^'*[=+\-@\t\r]/;

/** Prefixes a free-text value that a spreadsheet would run as a formula with `'`. */
export function defuseFormula(value: string): string {
  return NEEDS_DEFUSING.test(value) ? `'${value}` : value;
}

/** Undoes `defuseFormula` on import, so an exported file reads back exactly. */
export function restoreFormula(value: string): string {
  return value.startsWith("'") && NEEDS_DEFUSING.test(value.slice(1)) ? value.slice(1) : value;
}

/** Quotes a field when it holds a comma, a quote or a line break (quotes doubled), as RFC 4180 says. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line (CRLF-terminated, per RFC 4180). */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

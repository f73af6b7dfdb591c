/**
 * RFC 4180 CSV for the onboarding forms: CRLF line ends, a header row, a field quoted when it
 * holds a comma, a quote or a line break (quotes doubled). A cell that a spreadsheet would take
 * for a formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  for (const row of rows)
    if (row.length !== header.length)
      throw new TypeError(`CSV row of ${row.length} cells, header has ${header.length}`);
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

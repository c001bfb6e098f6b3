/**
 * CSV that a spreadsheet opens as data: a cell that starts with `=`, `+`, `-` or `@` (or a tab or
 * carriage return, which some spreadsheets skip before one of those) would be read as a formula,
 * so it gets a leading apostrophe, which spreadsheets show as text and do not display (the
 * OWASP "CSV injection" advice). Every CSV this app serves goes through here: the track export
 * and an import's error report.
 */
import { parse } from 'csv-parse/sync';

/** Written first, so spreadsheets read the file as UTF-8 (Excel otherwise guesses a legacy code page). */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvCell = string | number | boolean | null | undefined;

/** The cell as text a spreadsheet will not evaluate. */
export function spreadsheetSafe(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as CSV: quoted (quotes doubled) when it holds a quote, a comma or a line break (RFC 4180). */
function csvCell(cell: CsvCell): string {
  const text = spreadsheetSafe(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Records as CSV lines (CRLF, quoted where needed), every cell made spreadsheet-safe. Written
 * here rather than with csv-stringify, which takes three to four times as long: the export
 * writes millions of cells.
 */
export function csvLines(records: readonly (readonly CsvCell[])[]): string {
  let out = '';
  for (const record of records) {
    for (let i = 0; i < record.length; i++) out += i === 0 ? csvCell(record[i]) : `,${csvCell(record[i])}`;
    out += '\r\n';
  }
  return out;
}

/**
 * A line that is already CSV (an import row as the file had it), with its cells made
 * spreadsheet-safe; a line that is safe already is returned as it is.
 */
export function spreadsheetSafeLine(line: string): string {
  let cells: string[];
  try {
    cells = (parse(line, { relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
  } catch {
    // Not CSV after all: sent as one cell, so nothing in it can become a formula.
    return csvLines([[line]]).slice(0, -2);
  }
  if (!cells.some((cell) => FORMULA_START.test(cell))) return line;
  return csvLines([cells]).slice(0, -2);
}

/**
 * An import's failed rows as a CSV file to fix and import again: columns row, reason, url, name,
 * tags. The header names url/name/tags, so re-importing the fixed file reads the right columns and
 * ignores row and reason. It is written page by page, so a large report is never held whole.
 */
import { csvLines, spreadsheetSafeLine } from '~/server/csv/spreadsheet-safe';
import type { Executor } from '../db/database';
import { listImportErrors } from './queries';

const PAGE = 500;

export const errorReportHeader = 'row,reason,url,name,tags\r\n';

export async function* errorReportLines(db: Executor, workspaceId: string, importId: string): AsyncGenerator<string> {
  yield errorReportHeader;
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page = await listImportErrors(db, workspaceId, importId, { cursor, limit: PAGE });
    for (const row of page.items) {
      // rawValue is already CSV (url,name,tags[,extra cells]): appended as it is, its cells made
      // spreadsheet-safe like every CSV we serve (a cell starting with = is a formula in Excel).
      yield `${csvLines([[row.rowNumber, row.reason]]).slice(0, -2)},${spreadsheetSafeLine(row.rawValue)}\r\n`;
    }
    cursor = page.nextCursor;
  }
}

/** The download's file name: the upload's name with -errors, or the import id. */
export function errorReportFilename(filename: string | null, importId: string): string {
  const base = (filename ?? '').replace(/\.(csv|tsv|txt)$/i, '').replace(/[^\w.-]+/g, '_') || `import-${importId}`;
  return `${base}-errors.csv`;
}

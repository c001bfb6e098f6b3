/**
 * GET /api/imports/[importId]/errors.csv: the failed rows as a CSV download, streamed page by
 * page. The Next route handler is a thin wrapper around this.
 */
import type { Runtime } from '../runtime';
import { csvDownload } from '../csv/csv-download';
import { errorReportFilename, errorReportLines } from './error-report';
import { getImport } from './queries';

export async function handleErrorReportDownload(runtime: Runtime, workspaceId: string, importId: string): Promise<Response> {
  const found = await getImport(runtime.db, workspaceId, importId);
  if (!found) {
    return Response.json({ error: { code: 'NOT_FOUND', message: `Import ${importId} was not found in this workspace.` } }, { status: 404 });
  }
  const lines = errorReportLines(runtime.db, workspaceId, importId);
  return csvDownload(lines, errorReportFilename(found.filename, importId));
}

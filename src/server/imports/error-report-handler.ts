/**
 * GET /api/imports/[importId]/errors.csv: the failed rows as a CSV download, streamed page by
 * page. The Next route handler is a thin wrapper around this.
 */
import type { Runtime } from '../runtime';
import { errorReportFilename, errorReportLines } from './error-report';
import { getImport } from './queries';

export async function handleErrorReportDownload(runtime: Runtime, workspaceId: string, importId: string): Promise<Response> {
  const found = await getImport(runtime.db, workspaceId, importId);
  if (!found) {
    return Response.json({ error: { code: 'NOT_FOUND', message: `Import ${importId} was not found in this workspace.` } }, { status: 404 });
  }
  const lines = errorReportLines(runtime.db, workspaceId, importId);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${errorReportFilename(found.filename, importId)}"`,
      'cache-control': 'no-store',
    },
  });
}

/** GET /api/imports/:importId/errors.csv: the import's failed rows, to fix and import again. */
import { handleErrorReportDownload } from '~/server/imports/error-report-handler';
import { getRuntime } from '~/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ importId: string }> }): Promise<Response> {
  const runtime = await getRuntime();
  const { importId } = await params;
  return handleErrorReportDownload(runtime, runtime.defaultWorkspaceId, importId);
}

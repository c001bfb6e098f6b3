/** GET /api/imports/:importId/errors.csv: the import's failed rows, to fix and import again. Viewers and up. */
import { authorizeRoute } from '~/server/http/route-access';
import { handleErrorReportDownload } from '~/server/imports/error-report-handler';
import { getRuntime } from '~/server/runtime';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ importId: string }> }): Promise<Response> {
  const runtime = await getRuntime();
  const access = await authorizeRoute(runtime, request, 'viewer');
  if (access instanceof Response) return access;
  const { importId } = await params;
  return handleErrorReportDownload(runtime, access.workspaceId, importId);
}

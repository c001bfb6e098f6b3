/** POST /api/imports: upload a CSV (multipart `file` field or the raw body); 202 { importId }. Members and up. */
import { authorizeRoute } from '~/server/http/route-access';
import { handleImportUpload } from '~/server/imports/upload-handler';
import { getRuntime } from '~/server/runtime';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  const access = await authorizeRoute(runtime, request, 'member');
  if (access instanceof Response) return access;
  return handleImportUpload(runtime, access.workspaceId, request);
}

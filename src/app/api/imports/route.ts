/** POST /api/imports: upload a CSV (multipart `file` field or the raw body); 202 { importId }. */
import { handleImportUpload } from '~/server/imports/upload-handler';
import { getRuntime } from '~/server/runtime';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  return handleImportUpload(runtime, runtime.defaultWorkspaceId, request);
}

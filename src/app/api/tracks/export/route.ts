/** GET /api/tracks/export?filter=<JSON>&sort=<JSON>: the explorer's tracks as CSV. Viewers and up. */
import { authorizeRoute } from '~/server/http/route-access';
import { getRuntime } from '~/server/runtime';
import { handleTrackExport } from '~/server/tracks/explorer-export-response';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  const access = await authorizeRoute(runtime, request, 'viewer');
  if (access instanceof Response) return access;
  return handleTrackExport(runtime, access.workspaceId, request);
}

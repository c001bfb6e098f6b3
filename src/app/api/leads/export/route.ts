/** GET /api/leads/export?filter=<JSON>: the songwriters list (songwriters.list's filter and order) as CSV. Viewers and up. */
import { authorizeRoute } from '~/server/http/route-access';
import { getRuntime } from '~/server/runtime';
import { handleLeadsExport } from '~/server/songwriters/leads-export';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  const access = await authorizeRoute(runtime, request, 'viewer');
  if (access instanceof Response) return access;
  return handleLeadsExport(runtime, access.workspaceId, request);
}

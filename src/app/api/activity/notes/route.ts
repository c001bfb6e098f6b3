/**
 * POST /api/activity/notes { "message": "..." }: adds a note to the activity feed from outside
 * the app (a script, a chat integration). It runs inside Next's bundle and reaches the server's
 * runtime through getRuntime(), so its event goes to the same bus as everything else. Members
 * and up, with a session or an API key.
 */
import { addNote } from '~/server/activity/add-note';
import { authorizeRoute, errorResponse } from '~/server/http/route-access';
import { getRuntime } from '~/server/runtime';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  const runtime = await getRuntime();
  const access = await authorizeRoute(runtime, request, 'member');
  if (access instanceof Response) return access;
  const body = (await request.json().catch(() => null)) as { message?: unknown } | null;
  const message = typeof body?.message === 'string' ? body.message.trim() : '';
  if (!message || message.length > 2000) {
    return errorResponse(400, 'BAD_REQUEST', 'Send JSON {"message": "..."} with 1 to 2,000 characters.');
  }
  const row = await addNote(runtime, access.workspaceId, message);
  return Response.json({ id: row.id, message: row.message, createdAt: row.createdAt.toISOString() }, { status: 201 });
}

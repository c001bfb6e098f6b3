/**
 * The access boundary for Next route handlers (uploads, downloads, the notes hook), which take a
 * fetch Request instead of a tRPC call: the same caller resolution, the same cross-site rule and
 * the same role ladder as api/trpc.ts, answered as JSON errors with the same codes.
 */
import type { Caller } from '../auth/caller';
import { isOriginAllowed } from '../auth/origin';
import { roleAtLeast, type WorkspaceRole } from '../auth/roles';
import type { Runtime } from '../runtime';
import { resolveCredentials } from './request-caller';

export interface RouteAccess {
  caller: Caller;
  workspaceId: string;
}

/** The caller acting for a workspace with at least `needed`, or the Response that refuses the request. */
export async function authorizeRoute(runtime: Runtime, request: Request, needed: WorkspaceRole): Promise<RouteAccess | Response> {
  const { caller, problem, viaCookie } = await resolveCredentials(runtime, request.headers, null);
  if (viaCookie && request.method !== 'GET' && !isOriginAllowed(runtime.config, request.headers)) {
    return errorResponse(403, 'FORBIDDEN', 'This request came from another site: the API only takes cookie requests from its own pages (or ALLOWED_ORIGINS).');
  }
  if (!caller) return errorResponse(401, 'UNAUTHORIZED', problem ?? 'Sign in first, or send an API key as `Authorization: Bearer <key>`.');
  if (!caller.workspace) return errorResponse(403, 'FORBIDDEN', 'You are not a member of any workspace: create one, or open an invitation link from a colleague.');
  if (!roleAtLeast(caller.workspace.role, needed)) {
    return errorResponse(403, 'FORBIDDEN', `This needs the ${needed} role or higher in this workspace; you are a ${caller.workspace.role}. Ask an admin to change your role.`);
  }
  return { caller, workspaceId: caller.workspace.id };
}

export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * The workspace roles as the UI offers them, and what each may do: asked of the same access
 * control the server checks (src/server/auth/roles.ts, through the auth client), so a control is
 * hidden or disabled exactly when the server would refuse it.
 */
import { authClient, isWorkspaceRole, roleAtLeast, workspaceRoles, type WorkspaceRole } from '~/trpc/auth-client';

export { isWorkspaceRole, roleAtLeast, type WorkspaceRole };

export const roleDescriptions: Record<WorkspaceRole, string> = {
  viewer: 'Viewer: reads and watches',
  member: 'Member: also adds, imports and re-enriches',
  admin: 'Admin: also manages members, invitations and API keys',
  owner: 'Owner: also deletes the workspace',
};

type Permissions = Parameters<typeof authClient.organization.checkRolePermission>[0]['permissions'];

export function roleMay(role: WorkspaceRole, permissions: Permissions): boolean {
  return authClient.organization.checkRolePermission({ role, permissions });
}

/** The roles someone with `role` may hand out: an owner any, an admin any but owner. */
export function assignableRoles(role: WorkspaceRole): WorkspaceRole[] {
  return role === 'owner' ? [...workspaceRoles] : workspaceRoles.filter((candidate) => candidate !== 'owner');
}

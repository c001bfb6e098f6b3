/**
 * Better Auth in the browser: sign-up, sign-in and sign-out, and the workspace (organisation)
 * endpoints under /api/auth/organization. Roles and their permissions are the server's own
 * (`checkRolePermission` answers the same as the server will).
 */
import { organizationClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';
import { accessControl, accessRoles } from '~/server/auth/roles';

export const authClient = createAuthClient({
  plugins: [organizationClient({ ac: accessControl, roles: accessRoles })],
});

/** The roles and their order, as the server has them. */
export { isWorkspaceRole, roleAtLeast, workspaceRoles, type WorkspaceRole } from '~/server/auth/roles';

/**
 * Email and password sign-up. With `invitationId` (from an invitation link), the server puts the
 * new account in the inviting workspace with the invited role, when the invitation is for this
 * email; otherwise the account gets a workspace of its own.
 */
export function signUpWithEmail(input: { name: string; email: string; password: string; invitationId?: string }) {
  // Better Auth's typed body has no `invitationId`; its sign-up endpoint passes extra fields on to
  // the server's account hook, which is where the invitation is honoured.
  const body: { name: string; email: string; password: string } = input;
  return authClient.signUp.email(body);
}

/**
 * The four workspace roles, what each may do, and the access-control statements Better Auth's
 * organization and API-key plugins check for the endpoints they serve themselves (members,
 * invitations, the workspace). Procedures check a role with `roleAtLeast` (see api/trpc.ts).
 *
 * viewer  reads and subscribes
 * member  also adds, refreshes, removes, imports, re-enriches, cancels and retries
 * admin   also manages members, invitations and API keys
 * owner   also deletes the workspace
 */
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements } from 'better-auth/plugins/organization/access';

export const workspaceRoles = ['viewer', 'member', 'admin', 'owner'] as const;
export type WorkspaceRole = (typeof workspaceRoles)[number];

const rank: Record<WorkspaceRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function isWorkspaceRole(value: unknown): value is WorkspaceRole {
  return typeof value === 'string' && value in rank;
}

export function roleAtLeast(role: WorkspaceRole, needed: WorkspaceRole): boolean {
  return rank[role] >= rank[needed];
}

export function lowerRole(a: WorkspaceRole, b: WorkspaceRole): WorkspaceRole {
  return rank[a] <= rank[b] ? a : b;
}

/** Roles an API key may carry: a key never deletes a workspace. */
export const apiKeyRoles = ['viewer', 'member', 'admin'] as const satisfies readonly WorkspaceRole[];
export type ApiKeyRole = (typeof apiKeyRoles)[number];

const statements = { ...defaultStatements, apiKey: ['create', 'read', 'update', 'delete'] } as const;
export const accessControl = createAccessControl(statements);

const manage = {
  invitation: ['create', 'cancel'],
  member: ['create', 'update', 'delete'],
  apiKey: ['create', 'read', 'update', 'delete'],
} as const;

export const accessRoles = {
  viewer: accessControl.newRole({}),
  member: accessControl.newRole({}),
  admin: accessControl.newRole({ ...manage, organization: ['update'] }),
  owner: accessControl.newRole({ ...manage, organization: ['update', 'delete'] }),
};

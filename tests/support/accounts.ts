/**
 * Accounts, workspaces and keys for tests, made through Better Auth (the same hooks and tables
 * the app uses) or, for procedure-level tests, a caller built directly.
 */
import { eq } from 'drizzle-orm';
import { createApiKey } from '~/server/api-keys/api-keys';
import type { Caller } from '~/server/auth/caller';
import type { ApiKeyRole, WorkspaceRole } from '~/server/auth/roles';
import { members, workspaces } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { newWorkspaceSlug } from '~/server/workspaces/workspace-slug';

let counter = 0;

/** A workspace with no members (procedure-level tests act in it through `testCaller`). */
export async function createWorkspace(runtime: Runtime, name = 'Test workspace'): Promise<string> {
  const [row] = await runtime.db.insert(workspaces).values({ id: crypto.randomUUID(), name, slug: newWorkspaceSlug(name) }).returning({ id: workspaces.id });
  return row!.id;
}

/** A caller as the context would resolve it, acting in `workspaceId` with `role`. */
export function testCaller(workspaceId: string, role: WorkspaceRole = 'owner'): Caller {
  return { kind: 'session', credentialId: `test-session-${workspaceId}`, userId: `test-user-${workspaceId}`, name: 'Test user', workspace: { id: workspaceId, role } };
}

export interface Account {
  userId: string;
  name: string;
  email: string;
  password: string;
  /** The `cookie` header a browser would send after signing in. */
  cookie: string;
  /** The workspace the account acts for after sign-up (its own, or the one it was invited to). */
  workspaceId: string;
}

/** Signs up through Better Auth (its hooks give the account its own workspace, or the invited one). */
export async function createAccount(runtime: Runtime, opts: { name?: string; email?: string; invitationId?: string } = {}): Promise<Account> {
  const n = ++counter;
  const name = opts.name ?? `Person ${n}`;
  const email = opts.email ?? `person${n}.${Date.now()}@example.com`;
  const password = 'correct horse battery';
  const { headers, response } = await runtime.auth.api.signUpEmail({
    body: { name, email, password, ...(opts.invitationId ? { invitationId: opts.invitationId } : {}) },
    returnHeaders: true,
  });
  const cookie = cookieOf(headers);
  const [membership] = await runtime.db.select({ workspaceId: members.organizationId }).from(members).where(eq(members.userId, response.user.id));
  return { userId: response.user.id, name, email, password, cookie, workspaceId: membership!.workspaceId };
}

/** Puts an account in a workspace with a role (as an accepted invitation would). */
export async function addMember(runtime: Runtime, workspaceId: string, userId: string, role: WorkspaceRole): Promise<void> {
  await runtime.db.insert(members).values({ id: crypto.randomUUID(), organizationId: workspaceId, userId, role });
}

/** An API key for `workspaceId` with `role`, made by an owner account of that workspace. */
export async function createKey(runtime: Runtime, workspaceId: string, role: ApiKeyRole = 'admin'): Promise<string> {
  const owner = await createAccount(runtime);
  await addMember(runtime, workspaceId, owner.userId, 'owner');
  const { key } = await createApiKey(runtime, { workspaceId, userId: owner.userId, actor: owner.name, name: `test ${role}`, role });
  return key;
}

export function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';', 1)[0]!)
    .join('; ');
}


/** A new workspace and an API key for it: what a real-server test needs to act in a workspace of its own. */
export async function workspaceWithKey(runtime: Runtime, role: ApiKeyRole = 'admin', name = 'Keyed workspace'): Promise<{ workspaceId: string; key: string }> {
  const workspaceId = await createWorkspace(runtime, name);
  return { workspaceId, key: await createKey(runtime, workspaceId, role) };
}

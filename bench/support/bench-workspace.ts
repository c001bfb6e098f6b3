/**
 * The workspace a benchmark acts in, made the way a user's is: an account signed up through
 * Better Auth (which gives it a workspace of its own) and, for clients over the network, an
 * API key of that workspace.
 */
import { eq } from 'drizzle-orm';
import { createApiKey } from '~/server/api-keys/api-keys';
import type { Caller } from '~/server/auth/caller';
import { members } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';

export interface BenchWorkspace {
  workspaceId: string;
  /** The account, as the API context would resolve it (owner of the workspace). */
  caller: Caller;
  /** A viewer key of the workspace, for clients in other processes. */
  key: string;
}

export async function benchWorkspace(runtime: Runtime): Promise<BenchWorkspace> {
  const { user, token } = await runtime.auth.api.signUpEmail({ body: { name: 'Bench', email: `bench-${Date.now()}@example.com`, password: 'bench password' } });
  const [membership] = await runtime.db.select({ workspaceId: members.organizationId }).from(members).where(eq(members.userId, user.id));
  const workspaceId = membership!.workspaceId;
  const { key } = await createApiKey(runtime, { workspaceId, userId: user.id, actor: 'Bench', name: 'bench', role: 'viewer' });
  return { workspaceId, key, caller: { kind: 'session', credentialId: token ?? 'bench', userId: user.id, name: 'Bench', workspace: { id: workspaceId, role: 'owner' } } };
}

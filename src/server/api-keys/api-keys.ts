/**
 * A workspace's API keys: made by an admin with a role (viewer, member or admin), shown once,
 * listed without the secret, revoked at once (open streams using the key end within seconds).
 * Better Auth's API-key plugin stores them (hashed) and verifies them (auth/caller.ts).
 */
import { APIError } from 'better-auth/api';
import { and, desc, eq } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import type { ApiKeyRole } from '../auth/roles';
import { apiKeys } from '../db/schema';
import type { Runtime } from '../runtime';

export class ApiKeyError extends Error {
  constructor(
    readonly code: 'API_KEY_NOT_FOUND' | 'NEEDS_SESSION' | 'NOT_ALLOWED',
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

export interface ApiKeySummary {
  id: string;
  name: string | null;
  /** The first characters of the key, to tell keys apart. */
  start: string | null;
  role: ApiKeyRole;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export async function listApiKeys(runtime: Runtime, workspaceId: string): Promise<ApiKeySummary[]> {
  const rows = await runtime.db.select().from(apiKeys).where(eq(apiKeys.referenceId, workspaceId)).orderBy(desc(apiKeys.createdAt));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    start: row.start,
    role: roleOf(row.metadata),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastRequest?.toISOString() ?? null,
  }));
}

export async function createApiKey(
  runtime: Runtime,
  input: { workspaceId: string; userId: string | null; actor: string; name: string; role: ApiKeyRole; expiresInDays?: number },
): Promise<ApiKeySummary & { key: string }> {
  if (!input.userId) throw new ApiKeyError('NEEDS_SESSION', 'API keys are made by a signed-in admin, not by another key: sign in to the app to make one.');
  const created = await runtime.auth.api
    .createApiKey({
      body: {
        name: input.name,
        organizationId: input.workspaceId,
        userId: input.userId,
        metadata: { role: input.role },
        expiresIn: input.expiresInDays ? input.expiresInDays * 86_400 : null,
      },
    })
    .catch((error: unknown) => {
      // Better Auth checks the maker's membership again (it may have ended a moment ago).
      if (error instanceof APIError) throw new ApiKeyError('NOT_ALLOWED', `The key was not made: ${error.message}`);
      throw error;
    });
  await runtime.log.transaction((tx) =>
    logActivity(tx, { workspaceId: input.workspaceId, kind: 'api_key', message: `${input.actor} made the API key "${input.name}" (${input.role})` }),
  );
  return {
    id: created.id,
    key: created.key,
    name: created.name ?? null,
    start: created.start ?? null,
    role: input.role,
    createdAt: new Date(created.createdAt).toISOString(),
    expiresAt: created.expiresAt ? new Date(created.expiresAt).toISOString() : null,
    lastUsedAt: null,
  };
}

export async function revokeApiKey(runtime: Runtime, input: { workspaceId: string; actor: string; id: string }): Promise<{ id: string }> {
  await runtime.log.transaction(async (tx) => {
    const [removed] = await tx.db
      .delete(apiKeys)
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.referenceId, input.workspaceId)))
      .returning({ name: apiKeys.name });
    if (!removed) throw new ApiKeyError('API_KEY_NOT_FOUND', `API key ${input.id} was not found in this workspace.`);
    await logActivity(tx, { workspaceId: input.workspaceId, kind: 'api_key', message: `${input.actor} revoked the API key "${removed.name ?? input.id}"` });
  });
  runtime.access.recheckSoon();
  return { id: input.id };
}

function roleOf(metadata: string | null): ApiKeyRole {
  try {
    const role = (JSON.parse(metadata ?? '{}') as { role?: unknown }).role;
    return role === 'member' || role === 'admin' ? role : 'viewer';
  } catch {
    return 'viewer';
  }
}

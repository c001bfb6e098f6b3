/**
 * Who is calling: resolved once per HTTP request and once per WebSocket connection, from the
 * session cookie or from an API key (`Authorization: Bearer ln_…`, or the WebSocket's
 * `connectionParams.token`). The tRPC context carries the result; procedures never look again.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { members } from '../db/schema';
import type { Auth } from './auth';
import { apiKeyRoles, isWorkspaceRole, type WorkspaceRole } from './roles';

/** Every Linernotes API key starts with this, so a key is told from other tokens at a glance. */
export const API_KEY_PREFIX = 'ln_';

export interface Caller {
  kind: 'session' | 'apiKey';
  /** The session's or the key's id: what revocation is checked against. */
  credentialId: string;
  /** The signed-in person; null for an API key (it acts for its workspace, not for a person). */
  userId: string | null;
  /** Who the activity feed names: the person, or "API key <name>". */
  name: string;
  /** The workspace this caller acts for and its role there; null when it belongs to none. */
  workspace: { id: string; role: WorkspaceRole } | null;
}

/** Why no caller could be resolved from credentials that were presented (absent ones just give null). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

export interface Credentials {
  headers: Headers;
  /** A token from outside the headers (the WebSocket's connectionParams). */
  token?: string | null;
}

export async function resolveCaller(auth: Auth, db: Database, credentials: Credentials): Promise<Caller | null> {
  const token = credentials.token ?? bearerToken(credentials.headers);
  if (token) return callerFromApiKey(auth, token);
  const found = await auth.api.getSession({ headers: credentials.headers, query: { disableCookieCache: true } }).catch(() => null);
  if (!found) return null;
  const { session, user } = found;
  const activeId = (session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
  return {
    kind: 'session',
    credentialId: session.id,
    userId: user.id,
    name: user.name,
    workspace: await membership(db, user.id, activeId),
  };
}

/**
 * The user's role in the workspace the session acts for. With none chosen, or when that one is
 * gone (deleted, or the user was removed from it), their first remaining workspace: the
 * `workspace.current` query tells the UI which one that is.
 */
async function membership(db: Database, userId: string, workspaceId: string | null): Promise<Caller['workspace']> {
  const rows = await db
    .select({ id: members.organizationId, role: members.role })
    .from(members)
    .where(eq(members.userId, userId))
    .orderBy(asc(members.createdAt));
  const row = rows.find((candidate) => candidate.id === workspaceId) ?? rows[0];
  return row && isWorkspaceRole(row.role) ? { id: row.id, role: row.role } : null;
}

async function callerFromApiKey(auth: Auth, key: string): Promise<Caller> {
  if (!key.startsWith(API_KEY_PREFIX)) throw new CredentialError('That is not a Linernotes API key (they start with "ln_"). Create one on the API keys page.');
  const result = await auth.api.verifyApiKey({ body: { key } });
  if (!result.valid || !result.key) throw new CredentialError('That API key is not valid: it was revoked, has expired, or never existed.');
  const metadata = parseMetadata(result.key.metadata);
  // Keys made outside apiKeys.create (there is no other way, but the plugin stores what it is given)
  // never rise above what a key may hold.
  const role = (apiKeyRoles as readonly string[]).includes(metadata.role as string) ? (metadata.role as WorkspaceRole) : 'viewer';
  return {
    kind: 'apiKey',
    credentialId: result.key.id,
    userId: null,
    name: `API key ${result.key.name ?? result.key.start ?? result.key.id}`,
    workspace: { id: result.key.referenceId, role },
  };
}

function parseMetadata(value: unknown): Record<string, unknown> {
  if (value && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
    } catch {
      // not JSON: no metadata
    }
  }
  return {};
}

export function bearerToken(headers: Headers): string | null {
  const header = headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** Node's IncomingMessage headers as a fetch Headers object (what Better Auth reads). */
export function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

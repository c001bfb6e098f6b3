/**
 * Revocation that reaches open streams. Every open WebSocket connection and SSE subscription
 * holds an `AccessGrant` for its caller; the watch re-checks all of them together (one query per
 * kind of credential, whatever the number of connections) every ACCESS_RECHECK_MS, and at once
 * after any change made through this process (a sign-out, a member removed, a key revoked). A
 * grant whose session ended, whose membership is gone or lowered, or whose key was revoked is
 * revoked: its subscriptions end with that typed error, and its connection serves no further call.
 * Changes made through another process are seen at the next periodic check.
 */
import { setMaxListeners } from 'node:events';
import { TRPCError } from '@trpc/server';
import { and, inArray } from 'drizzle-orm';
import type { Caller } from '../auth/caller';
import { roleAtLeast, type WorkspaceRole } from '../auth/roles';
import type { Database } from '../db/database';
import { apiKeys, members, sessions } from '../db/schema';
import { log } from '../log';

export class AccessGrant {
  revoked: TRPCError | null = null;
  private readonly controller = new AbortController();

  constructor(readonly caller: Caller) {
    // Each open subscription of the connection listens here (up to the per-connection cap).
    setMaxListeners(0, this.controller.signal);
  }

  /** Aborts (with the TRPCError as its reason) when the grant is revoked. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  revoke(error: TRPCError): void {
    if (this.revoked) return;
    this.revoked = error;
    this.controller.abort(error);
  }
}

export class AccessWatch {
  private readonly grants = new Set<AccessGrant>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly intervalMs: number,
  ) {}

  /** Watches `grant` until `until` aborts (the socket or the SSE response closed). */
  track(grant: AccessGrant, until: AbortSignal): void {
    if (until.aborted || grant.revoked) return;
    this.grants.add(grant);
    until.addEventListener('abort', () => this.grants.delete(grant), { once: true });
    this.timer ??= setInterval(() => void this.check(), this.intervalMs).unref();
  }

  size(): number {
    return this.grants.size;
  }

  /** Something that may revoke access changed here: check within a moment (coalesced). */
  recheckSoon(): void {
    if (this.closed || this.grants.size === 0 || this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.check();
    }, 50);
  }

  check(): Promise<void> {
    this.running ??= this.checkAll()
      .catch((error: unknown) => log.warn({ err: error }, 'could not re-check access of open connections'))
      .finally(() => (this.running = null));
    return this.running;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.grants.clear();
  }

  private async checkAll(): Promise<void> {
    const grants = [...this.grants].filter((grant) => !grant.revoked);
    if (grants.length === 0) {
      if (this.timer && this.grants.size === 0) {
        clearInterval(this.timer);
        this.timer = null;
      }
      return;
    }
    const now = Date.now();
    const sessionIds = unique(grants.filter((g) => g.caller.kind === 'session').map((g) => g.caller.credentialId));
    const keyIds = unique(grants.filter((g) => g.caller.kind === 'apiKey').map((g) => g.caller.credentialId));
    const userIds = unique(grants.map((g) => g.caller.userId).filter((id): id is string => id !== null));
    const workspaceIds = unique(grants.map((g) => g.caller.workspace?.id).filter((id): id is string => id !== undefined));

    const liveSessions = new Set(
      sessionIds.length === 0
        ? []
        : (await this.db.select({ id: sessions.id, expiresAt: sessions.expiresAt }).from(sessions).where(inArray(sessions.id, sessionIds)))
            .filter((row) => row.expiresAt.getTime() > now)
            .map((row) => row.id),
    );
    const liveKeys = new Map(
      keyIds.length === 0
        ? []
        : (
            await this.db
              .select({ id: apiKeys.id, enabled: apiKeys.enabled, expiresAt: apiKeys.expiresAt, referenceId: apiKeys.referenceId })
              .from(apiKeys)
              .where(inArray(apiKeys.id, keyIds))
          )
            .filter((row) => row.enabled !== false && (!row.expiresAt || row.expiresAt.getTime() > now))
            .map((row) => [row.id, row.referenceId]),
    );
    const roles = new Map(
      userIds.length === 0 || workspaceIds.length === 0
        ? []
        : (
            await this.db
              .select({ workspaceId: members.organizationId, userId: members.userId, role: members.role })
              .from(members)
              .where(and(inArray(members.userId, userIds), inArray(members.organizationId, workspaceIds)))
          ).map((row) => [`${row.workspaceId} ${row.userId}`, row.role as WorkspaceRole]),
    );

    for (const grant of grants) {
      const { caller } = grant;
      if (caller.kind === 'apiKey') {
        if (liveKeys.get(caller.credentialId) !== caller.workspace?.id) {
          grant.revoke(new TRPCError({ code: 'UNAUTHORIZED', message: 'This API key was revoked or has expired: ask an admin of the workspace for a new one.' }));
        }
        continue;
      }
      if (!liveSessions.has(caller.credentialId)) {
        grant.revoke(new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended (signed out, revoked or expired): sign in again.' }));
        continue;
      }
      if (!caller.workspace) continue;
      const role = roles.get(`${caller.workspace.id} ${caller.userId}`);
      if (!role) {
        grant.revoke(new TRPCError({ code: 'FORBIDDEN', message: 'You are no longer a member of this workspace: ask one of its admins to invite you again.' }));
      } else if (!roleAtLeast(role, caller.workspace.role)) {
        grant.revoke(new TRPCError({ code: 'FORBIDDEN', message: `Your role in this workspace is now ${role}: reconnect to carry on as ${role}.` }));
      }
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

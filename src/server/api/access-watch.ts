/**
 * Revocation that reaches open streams. Every open WebSocket connection and SSE subscription
 * holds an `AccessGrant` for its caller (WebSockets of one identity share one, see identityOf);
 * the watch re-checks all of them together (one query per
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

/** The WebSocket a grant serves, as far as the watch needs it: closed when revoked, untracked when closed. */
export interface WatchedSocket {
  readonly readyState: number;
  readonly OPEN: number;
  on(event: 'close', listener: (this: WatchedSocket) => void): unknown;
  close(code: number, reason: string): void;
}

/**
 * One connection's access. Made for every authenticated socket, so it allocates little until it
 * is needed: the AbortController behind `signal` only when something listens (a subscription),
 * no closure to leave the watch (the grant is its signal's listener object).
 */
export class AccessGrant {
  revoked: TRPCError | null = null;
  private controller: AbortController | null = null;
  private watch: AccessWatch | null = null;
  /** The open WebSockets it serves: closed (4401) a moment after revocation, once their subscriptions have said why. */
  private readonly sockets = new Set<WatchedSocket>();

  constructor(readonly caller: Caller) {}

  /** Aborts (with the TRPCError as its reason) when the grant is revoked; already aborted when it was. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      // Each open subscription of the connection listens here (up to the per-connection cap).
      setMaxListeners(0, this.controller.signal);
      if (this.revoked) this.controller.abort(this.revoked);
    }
    return this.controller.signal;
  }

  revoke(error: TRPCError): void {
    if (this.revoked) return;
    this.revoked = error;
    this.controller?.abort(error);
    // After the abort: the subscriptions' error frames go out before the close frame.
    for (const socket of this.sockets) setTimeout(closeRevokedSocket, 250, socket).unref();
  }

  /** The lifetime signal of `track` aborted: the connection or response is gone. */
  handleEvent(): void {
    this.watch?.untrack(this);
  }

  /** Called by the watch only. */
  watchedBy(watch: AccessWatch): void {
    this.watch = watch;
  }

  /** Called by the watch only: `socket` is served by this grant until it closes. */
  addSocket(socket: WatchedSocket): void {
    this.sockets.add(socket);
  }

  /** Called by the watch only: true when no open socket is left. */
  removeSocket(socket: WatchedSocket): boolean {
    this.sockets.delete(socket);
    return this.sockets.size === 0;
  }
}

/**
 * Sockets whose callers are the same credential acting as the same person for the same workspace
 * in the same role share one grant: every check revokes all of them or none, so one grant (and the
 * one AbortSignal behind it) stands for them all. A role or a member that differs is another grant.
 */
function identityOf(caller: Caller): string {
  return `${caller.kind} ${caller.credentialId} ${caller.userId ?? ''} ${caller.workspace?.id ?? ''} ${caller.workspace?.role ?? ''}`;
}

function closeRevokedSocket(socket: WatchedSocket): void {
  socket.close(4401, 'access revoked');
}

/** Each watched socket's grant, for the one 'close' listener all sockets share. */
const socketGrants = new WeakMap<WatchedSocket, AccessGrant>();

function untrackClosedSocket(this: WatchedSocket): void {
  const grant = socketGrants.get(this);
  socketGrants.delete(this);
  if (grant?.removeSocket(this)) grant.handleEvent();
}

export class AccessWatch {
  private readonly grants = new Set<AccessGrant>();
  /** The socket grants that new sockets of the same identity join. */
  private readonly byIdentity = new Map<string, AccessGrant>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly intervalMs: number,
  ) {}

  /** Watches `grant` until `until` aborts (the SSE response closed). */
  track(grant: AccessGrant, until: AbortSignal): void {
    if (until.aborted || grant.revoked) return;
    this.add(grant);
    until.addEventListener('abort', grant, { once: true });
  }

  /**
   * The grant of a WebSocket connection, watched while `socket` is open, whose socket is closed a
   * moment after the grant is revoked. Shared with the open sockets of the same identity (see
   * identityOf) unless that grant was revoked. A shared 'close' listener and a Set entry per
   * socket instead of a grant, a lifetime AbortSignal and their listeners (about 1 KB per socket).
   */
  grantForSocket(caller: Caller, socket: WatchedSocket): AccessGrant {
    if (socket.readyState !== socket.OPEN || this.closed) return new AccessGrant(caller);
    const identity = identityOf(caller);
    let grant = this.byIdentity.get(identity);
    if (!grant || grant.revoked) {
      grant = new AccessGrant(caller);
      this.byIdentity.set(identity, grant);
      this.add(grant);
    }
    grant.addSocket(socket);
    socketGrants.set(socket, grant);
    // `on`, not `once`: a socket closes once, and `once` wraps each listener in a closure of its own.
    socket.on('close', untrackClosedSocket);
    return grant;
  }

  /** Stops watching `grant` (its connection closed, or its last socket). */
  untrack(grant: AccessGrant): void {
    this.grants.delete(grant);
    const identity = identityOf(grant.caller);
    if (this.byIdentity.get(identity) === grant) this.byIdentity.delete(identity);
  }

  private add(grant: AccessGrant): void {
    grant.watchedBy(this);
    this.grants.add(grant);
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
    this.byIdentity.clear();
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

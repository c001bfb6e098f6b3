/**
 * tRPC setup: context, initialisation and the procedure builders.
 *
 * 1. CONTEXT   what every procedure gets: the runtime, who is calling (resolved once per request
 *              or connection by the app server), their grant, and the transport's congestion.
 * 2. INIT      error shape (a readable message for bad input) and SSE keep-alive.
 * 3. BUILDERS  the access boundary: every procedure is `protectedProcedure` (viewer and up) or one
 *              of the role builders below; there is no public procedure.
 * You will rarely edit this file: add procedures in ./routers/<domain>.ts.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Caller } from '../auth/caller';
import { roleAtLeast, type WorkspaceRole } from '../auth/roles';
import type { Congestion } from '../events/stream';
import type { Runtime } from '../runtime';
import { AccessGrant, type WatchedSocket } from './access-watch';
import { errorIdOf, isUnexpected } from './error-id';
import { unstorableText } from './inputs';

// 1. CONTEXT ----------------------------------------------------------------------------------

export interface Context {
  runtime: Runtime;
  /** Who is calling; null when no valid session or key came with the request. */
  caller: Caller | null;
  /** Why presented credentials were refused (a revoked key, say), for the UNAUTHORIZED message. */
  credentialProblem: string | null;
  /** The caller's grant: revoked when their session, membership, role or key stops holding. */
  grant: AccessGrant | null;
  /** How much the caller's socket holds unsent (WebSocket or SSE response), when known. */
  congestion: Congestion | null;
}

export interface ContextSource {
  caller: Caller | null;
  credentialProblem?: string | null;
  /** The ws WebSocket (bufferedAmount) or the HTTP response (writableLength) serving the call. */
  res?: { bufferedAmount?: number; writableLength?: number } | null;
  /** For an SSE response: open until this aborts; its grant is watched meanwhile. */
  lifetime?: AbortSignal | null;
  /** For a WebSocket connection: its grant (shared by sockets of the same caller) is watched while it is open, and it is closed (4401) once revoked. */
  socket?: WatchedSocket | null;
}

export function createContextFactory(runtime: Runtime) {
  return ({ caller, credentialProblem = null, res, lifetime, socket }: ContextSource): Context => {
    const grant = !caller ? null : socket ? runtime.access.grantForSocket(caller, socket) : new AccessGrant(caller);
    if (grant && !socket && lifetime) runtime.access.track(grant, lifetime);
    return { runtime, caller, credentialProblem, grant, congestion: res ? new ResponseCongestion(res) : null };
  };
}

/** A class, not an object with an arrow function: one exists per connection, and a closure costs its scope too. */
class ResponseCongestion implements Congestion {
  constructor(private readonly res: NonNullable<ContextSource['res']>) {}

  bufferedBytes(): number {
    return this.res.bufferedAmount ?? this.res.writableLength ?? 0;
  }
}

// 2. INIT -------------------------------------------------------------------------------------

export interface ProcedureMeta {
  /** Top-level input fields whose text the procedure checks itself, with a sentence of its own (an import's CSV). */
  checksOwnText?: readonly string[];
}

const t = initTRPC.context<Context>().meta<ProcedureMeta>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    // An error no code of ours chose (a failed query, a bug) keeps its internals in the log,
    // under the id the caller is given.
    const unexpected = isUnexpected(error);
    return {
      ...shape,
      message: zodError
        ? `Invalid input: ${z.prettifyError(zodError).replaceAll('\n', ' ')}`
        : unexpected
          ? `Something went wrong on our side (error ${errorIdOf(error)}); it was logged. Try again, and quote that id if it keeps happening.`
          : shape.message,
      data: { ...shape.data, stack: undefined, issues: zodError?.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })) ?? null },
    };
  },
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
});

// 3. BUILDERS ---------------------------------------------------------------------------------

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Text a database cannot store is refused before any procedure's own input parsing sees it. */
const storableInput = t.procedure.use(async ({ getRawInput, meta, next }) => {
  const found = unstorableText(await getRawInput(), meta?.checksOwnText);
  if (found) throw new TRPCError({ code: 'BAD_REQUEST', message: `Invalid input: ${found.path} ${found.problem}; send text without it.` });
  return next();
});

/** Signed in (session or API key), access not revoked, acting for a workspace: at least a viewer. */
export const protectedProcedure = storableInput.use(({ ctx, next }) => {
  const { caller, grant } = ctx;
  if (!caller) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: ctx.credentialProblem ?? 'Sign in first, or send an API key as `Authorization: Bearer <key>` (`connectionParams.token` on a WebSocket).',
    });
  }
  if (grant?.revoked) throw grant.revoked;
  if (!caller.workspace) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of any workspace: create one, or open an invitation link from a colleague.' });
  }
  return next({ ctx: { caller, grant, workspaceId: caller.workspace.id, role: caller.workspace.role } });
});

function atLeast(needed: WorkspaceRole) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roleAtLeast(ctx.role, needed)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${needed} role or higher in this workspace; you are a ${ctx.role}. Ask an admin to change your role.` });
    }
    return next();
  });
}

/** Adds, refreshes, removes, imports, re-enriches, cancels and retries. */
export const memberProcedure = atLeast('member');
/** Manages members, invitations and API keys. */
export const adminProcedure = atLeast('admin');

/** Throws NOT_FOUND with a sentence naming what was looked for. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found in this workspace.` });
  return value;
}

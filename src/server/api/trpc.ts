/**
 * tRPC setup: context, initialisation and the procedure builders.
 *
 * 1. CONTEXT   what every procedure gets: the runtime, the caller's workspace, its transport.
 * 2. INIT      error shape (a readable message for bad input) and SSE keep-alive.
 * 3. BUILDERS  the procedures and routers you will use in ./routers and ./subscriptions.
 * You will rarely edit this file: add procedures in ./routers/<domain>.ts.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import type { Congestion } from '../events/stream';
import type { Runtime } from '../runtime';

// 1. CONTEXT ----------------------------------------------------------------------------------

export interface Context {
  runtime: Runtime;
  /** Until sign-in exists every caller acts for the default workspace; everything is scoped by it. */
  workspaceId: string;
  /** How much the caller's socket holds unsent (WebSocket or SSE response), when known. */
  congestion: Congestion | null;
}

export interface ContextSource {
  /** The ws WebSocket (bufferedAmount) or the HTTP response (writableLength) serving the call. */
  res?: { bufferedAmount?: number; writableLength?: number } | null;
}

export function createContextFactory(runtime: Runtime) {
  return ({ res }: ContextSource = {}): Context => ({
    runtime,
    workspaceId: runtime.defaultWorkspaceId,
    congestion: res ? congestionOf(res) : null,
  });
}

function congestionOf(res: NonNullable<ContextSource['res']>): Congestion {
  return { bufferedBytes: () => res.bufferedAmount ?? res.writableLength ?? 0 };
}

// 2. INIT -------------------------------------------------------------------------------------

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zodError ? `Invalid input: ${z.prettifyError(zodError).replaceAll('\n', ' ')}` : shape.message,
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
export const publicProcedure = t.procedure;

/** Throws NOT_FOUND with a sentence naming what was looked for. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value == null) throw new TRPCError({ code: 'NOT_FOUND', message: `${what} was not found in this workspace.` });
  return value;
}

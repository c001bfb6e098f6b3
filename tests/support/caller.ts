/** Procedure-level access: a caller on a runtime, and subscriptions collected in the background. */
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import type { WorkspaceRole } from '~/server/auth/roles';
import type { Runtime } from '~/server/runtime';
import { testCaller } from './accounts';
import { collect } from './iterate';
import type { TestRuntime } from './runtime';

type Caller = ReturnType<typeof createCaller>;

export interface As {
  workspaceId?: string;
  role?: WorkspaceRole;
}

/** A caller acting in the test runtime's workspace (or `as.workspaceId`) with `as.role` (owner by default). */
export function callerFor(runtime: TestRuntime | (Runtime & { workspaceId: string }), signal?: AbortSignal, as: As = {}): Caller {
  return createCaller(createContextFactory(runtime)({ caller: testCaller(as.workspaceId ?? runtime.workspaceId, as.role) }), { signal });
}

/**
 * Starts a subscription through createCaller and collects what it yields until `stop()`
 * (which aborts the procedure's signal, as a client unsubscribing does).
 */
export async function subscribe<T>(runtime: TestRuntime, call: (caller: Caller) => Promise<AsyncIterable<T>>, as: As = {}) {
  const controller = new AbortController();
  const iterable = await call(callerFor(runtime, controller.signal, as));
  return collect(iterable, controller);
}

/** Procedure-level access: a caller on a runtime, and subscriptions collected in the background. */
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import type { Runtime } from '~/server/runtime';
import { collect } from './iterate';

type Caller = ReturnType<typeof createCaller>;

export function callerFor(runtime: Runtime, signal?: AbortSignal): Caller {
  return createCaller(createContextFactory(runtime)(), { signal });
}

/**
 * Starts a subscription through createCaller and collects what it yields until `stop()`
 * (which aborts the procedure's signal, as a client unsubscribing does).
 */
export async function subscribe<T>(runtime: Runtime, call: (caller: Caller) => Promise<AsyncIterable<T>>) {
  const controller = new AbortController();
  const iterable = await call(callerFor(runtime, controller.signal));
  return collect(iterable, controller);
}

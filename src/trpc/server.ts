/**
 * The server-side tRPC caller, for React Server Components: pages render their first data on the
 * server, as the person's browser would have read it, and hand it to the client components.
 *
 * - `trpc.x.y(input)` calls a procedure; `trpc.x.y.prefetch(input)` puts its answer in the
 *   request's query client, and `<HydrateClient>` hands that cache to the browser's, so a client
 *   `api.x.y.useQuery(input)` starts with the data instead of fetching it.
 * - `liveStart(open)` reads a subscription's snapshot together with its position (the event id it
 *   was taken at), so the browser's stream resumes from exactly there: nothing that happens between
 *   the render and the subscription is missed, and nothing is read twice.
 *
 * The caller is resolved from the request's cookies through the same access boundary the app
 * server uses for every other request (request-caller.ts), on the one runtime the process holds
 * (reached through globalThis, like the route handlers). No transformer is configured, so what
 * the browser gets here is shaped as it would be over the wire: dates become ISO strings.
 *
 * Server only: it reads the request's headers (next/headers), which a client bundle cannot import.
 */
import { defaultShouldDehydrateQuery, QueryClient } from '@tanstack/react-query';
import { createHydrationHelpers } from '@trpc/react-query/rsc';
import { headers } from 'next/headers';
import { cache } from 'react';
import { createCaller, type AppRouter } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { resolveCredentials } from '~/server/http/request-caller';
import { getRuntime } from '~/server/runtime';
import type { LiveStart } from './live-start';

export type { LiveStart } from './live-start';

/** A value as JSON carries it: what a client reading it over HTTP would have. */
export function asWire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** One context per request, whoever asks for it first (layout or page). */
const createRequestContext = cache(async () => {
  const runtime = await getRuntime();
  const { caller, problem } = await resolveCredentials(runtime, new Headers(await headers()), null);
  return createContextFactory(runtime)({ caller, credentialProblem: problem });
});

const getQueryClient = cache(
  () =>
    new QueryClient({
      defaultOptions: {
        queries: { staleTime: 5_000 },
        dehydrate: {
          serializeData: asWire,
          // Only what the server could read goes to the browser; a refusal is asked again there.
          shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query),
        },
      },
    }),
);

export const { trpc, HydrateClient } = createHydrationHelpers<AppRouter>(createCaller(createRequestContext), getQueryClient);

/** A caller whose subscriptions end when `signal` aborts. */
function callerWith(signal: AbortSignal) {
  return createCaller(createRequestContext, { signal });
}

export type ServerCaller = ReturnType<typeof callerWith>;


/** How long a render waits for a snapshot before leaving the stream to fetch its own in the browser. */
const SNAPSHOT_TIMEOUT_MS = 5_000;

/**
 * The first message of a subscription opened without `lastEventId`: its snapshot, tracked by the
 * outbox position read before the snapshot (events/delivery.ts). Null when the caller may not
 * read it (no workspace) or it takes too long; the browser then subscribes from scratch.
 */
export async function liveStart<S>(open: (caller: ServerCaller) => Promise<AsyncIterable<unknown>>): Promise<LiveStart<S> | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SNAPSHOT_TIMEOUT_MS);
  try {
    const iterable = await open(callerWith(controller.signal));
    for await (const message of iterable) {
      const { id, data } = trackedParts(message);
      const kind = (data as { kind?: string } | null)?.kind;
      if (kind === 'snapshot' && id) return { position: id, snapshot: asWire((data as { snapshot: S }).snapshot) };
      if (kind !== 'resync') return null;
    }
    return null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** `tracked(id, data)` reaches a server-side caller as an `[id, data, symbol]` tuple. */
function trackedParts(message: unknown): { id: string | null; data: unknown } {
  if (Array.isArray(message)) return { id: typeof message[0] === 'string' ? message[0] : null, data: message[1] };
  if (message && typeof message === 'object' && 'id' in message && 'data' in message) {
    const { id, data } = message as { id: unknown; data: unknown };
    return { id: typeof id === 'string' ? id : null, data };
  }
  return { id: null, data: message };
}

/** Runs a read for the page, or gives null when the caller may not (the page then shows what the browser reads). */
export async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return asWire(await read);
  } catch {
    return null;
  }
}

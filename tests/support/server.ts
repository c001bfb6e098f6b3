/** A real server (tRPC over HTTP, SSE and WebSocket, no Next) on an ephemeral port. */
import { startAppServer, type AppServer } from '~/server/http/app-server';
import type { Runtime } from '~/server/runtime';
import { createScriptClient } from '~/trpc/client';
import type { Transport } from '~/trpc/links';

export async function startTestServer(runtime: Runtime): Promise<AppServer> {
  return startAppServer({ runtime, port: 0, host: '127.0.0.1', next: null });
}

/** A typed client for `server` acting with `apiKey` (tests/support/accounts.ts createKey makes one). */
export function clientFor(server: { url: string }, apiKey: string, transport: Transport = 'ws') {
  return createScriptClient({ baseUrl: server.url, transport, apiKey });
}

import { afterAll, beforeAll, expect, test } from 'vitest';
import { createScriptClient } from '~/trpc/client';
import { apiKeyOverHttp, signUpOverHttp } from '../support/http-accounts';
import { eventsOf, waitFor } from '../support/iterate';
import { ensureProductionBuild } from '../support/next-build';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { freshDataDir } from '../support/runtime';

// The full server (Next's production build) in a child process: code
// that Next bundles must reach the same runtime, bus and database as the server's own modules.
let server: ServerProcess;
let apiKey: string;
beforeAll(async () => {
  await ensureProductionBuild();
  server = await startServerProcess({ DATA_DIR: await freshDataDir(), NODE_ENV: 'production' }, { next: true, timeoutMs: 120_000 });
  apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie);
}, 600_000);
afterAll(() => server?.stop());

test('a note posted to a Next route handler reaches WebSocket and SSE subscribers', async () => {
  const watchers = (['ws', 'sse'] as const).map((transport) => {
    const { client, close } = createScriptClient({ baseUrl: server.url, transport, apiKey });
    const messages: string[] = [];
    let started = false;
    const subscription = client.activityFeed.subscribe(undefined, {
      onData: ({ data }) => {
        started = true;
        for (const event of eventsOf(data as never)) messages.push((event.data as { message: string }).message);
      },
    });
    return { client, messages, started: () => started, close: () => (subscription.unsubscribe(), close()) };
  });
  await waitFor(() => watchers.every((w) => w.started()), { what: 'both snapshots' });

  const response = await fetch(`${server.url}/api/activity/notes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ message: 'from a Next route' }),
  });
  expect(response.status).toBe(201);
  await watchers[0]!.client.activity.note.mutate({ message: 'from the tRPC HTTP handler' });

  await waitFor(() => watchers.every((w) => w.messages.length === 2), { what: 'both events on both transports', timeoutMs: 20_000 });
  for (const watcher of watchers) {
    expect(watcher.messages).toEqual(['from a Next route', 'from the tRPC HTTP handler']);
    watcher.close();
  }

  const bad = await fetch(`${server.url}/api/activity/notes`, { method: 'POST', body: 'nope', headers: { authorization: `Bearer ${apiKey}` } });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error.code).toBe('BAD_REQUEST');
}, 60_000);

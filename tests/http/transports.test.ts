import { afterEach, describe, expect, test } from 'vitest';
import { loadConfig } from '~/server/config';
import { startAppServer, type AppServer } from '~/server/http/app-server';
import type { Envelope } from '~/server/events/catalog';
import { createRuntime, type Runtime } from '~/server/runtime';
import { createScriptClient } from '~/trpc/client';
import type { Transport } from '~/trpc/links';
import { eventsOf, waitFor } from '../support/iterate';
import { note } from '../support/produce';
import { workspaceWithKey } from '../support/accounts';
import { freshDataDir, testEnv } from '../support/runtime';

type Message = Parameters<typeof eventsOf>[0];

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(dataDir: string, port = 0): Promise<{ runtime: Runtime; server: AppServer }> {
  const runtime = await createRuntime(loadConfig({ ...testEnv, DATA_DIR: dataDir }));
  const server = await startAppServer({ runtime, port, host: '127.0.0.1', next: null });
  return { runtime, server };
}

/** Subscribes to the activity feed over a real client and records messages and their ids. */
function watchActivity(url: string, transport: Transport, apiKey: string) {
  const { client, close } = createScriptClient({ baseUrl: url, transport, apiKey });
  const received: { id: string | undefined; message: Message }[] = [];
  const subscription = client.activityFeed.subscribe(undefined, {
    onData: (tracked) => received.push({ id: tracked.id, message: tracked.data as Message }),
  });
  const messages = () => received.flatMap((r) => eventsOf(r.message)).map((e: Envelope) => (e.data as { message: string }).message);
  cleanups.push(() => {
    subscription.unsubscribe();
    close();
  });
  return { client, received, messages, close };
}

describe.each(['ws', 'sse'] as const)('over %s', (transport) => {
  test('a mutation over HTTP reaches a subscriber, snapshot first', async () => {
    const { runtime, server } = await start(await freshDataDir());
    cleanups.push(() => runtime.close(), () => server.close());
    const { workspaceId, key } = await workspaceWithKey(runtime);
    const watcher = watchActivity(server.url, transport, key);
    await waitFor(() => watcher.received.length >= 1, { what: 'the snapshot' });
    expect(watcher.received[0]!.message.kind).toBe('snapshot');
    await watcher.client.activity.note.mutate({ message: 'from http' });
    await note(runtime, 'from the server modules', workspaceId);
    await waitFor(() => watcher.messages().length === 2, { what: 'two events' });
    expect(watcher.messages()).toEqual(['from http', 'from the server modules']);
  });

  test('bad input ends that one call with BAD_REQUEST and the connection keeps serving', async () => {
    const { runtime, server } = await start(await freshDataDir());
    cleanups.push(() => runtime.close(), () => server.close());
    const { workspaceId, key } = await workspaceWithKey(runtime);
    const watcher = watchActivity(server.url, transport, key);
    await waitFor(() => watcher.received.length >= 1);
    const error = await new Promise<{ data?: { code?: string } | null; message: string }>((resolve) => {
      watcher.client.jobStatus.subscribe({ nope: 1 } as never, { onError: resolve });
    });
    expect(error.data?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/Unrecognized key/);
    await watcher.client.activity.note.mutate({ message: 'still here' });
    await waitFor(() => watcher.messages().includes('still here'));
  });

  test('a connection killed mid-stream resumes from the last id with no gap and no duplicate', async () => {
    const { runtime, server } = await start(await freshDataDir());
    cleanups.push(() => runtime.close(), () => server.close());
    const { workspaceId, key } = await workspaceWithKey(runtime);
    const watcher = watchActivity(server.url, transport, key);
    await waitFor(() => watcher.received.length >= 1);
    for (const m of ['a', 'b']) await note(runtime, m, workspaceId);
    await waitFor(() => watcher.messages().length === 2);

    // Cut every connection from the server side, then publish while the client is away.
    for (const socket of server.wss.clients) socket.terminate();
    server.server.closeAllConnections();
    for (const m of ['c', 'd']) await note(runtime, m, workspaceId);
    await waitFor(() => watcher.messages().length === 4, { what: 'the replay after reconnect', timeoutMs: 20_000 });
    await note(runtime, 'e', workspaceId);
    await waitFor(() => watcher.messages().length === 5);
    expect(watcher.messages()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(watcher.received.filter((r) => r.message.kind === 'snapshot')).toHaveLength(1);
  });

  test('events written while the server was down replay from the outbox after a restart', async () => {
    const dataDir = await freshDataDir();
    let { runtime, server } = await start(dataDir);
    const port = server.port;
    const { workspaceId, key } = await workspaceWithKey(runtime);
    const watcher = watchActivity(server.url, transport, key);
    await waitFor(() => watcher.received.length >= 1);
    await note(runtime, 'before restart', workspaceId);
    await waitFor(() => watcher.messages().length === 1);
    await server.close();
    await runtime.close();

    // Another writer (a script, a worker) adds events while no server runs.
    const offline = await createRuntime(loadConfig({ ...testEnv, DATA_DIR: dataDir }));
    await note(offline, 'while down', workspaceId);
    await offline.close();

    ({ runtime, server } = await start(dataDir, port));
    cleanups.push(() => runtime.close(), () => server.close());
    await waitFor(() => watcher.messages().length === 2, { what: 'the outbox replay', timeoutMs: 30_000 });
    await note(runtime, 'after restart', workspaceId);
    await waitFor(() => watcher.messages().length === 3);
    expect(watcher.messages()).toEqual(['before restart', 'while down', 'after restart']);
  });
});

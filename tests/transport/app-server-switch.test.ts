/** WS_TRANSPORT picks the handler behind /api/trpc; the project's script client works with both. */
import { afterEach, describe, expect, test } from 'vitest';
import { loadConfig } from '~/server/config';
import { startAppServer, type AppServer } from '~/server/http/app-server';
import { createKey } from '../support/accounts';
import { clientFor } from '../support/server';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { logNote } from './harness';

describe.each(['linernotes', 'trpc'] as const)('WS_TRANSPORT=%s', (transport) => {
  let runtime: TestRuntime;
  let server: AppServer;
  afterEach(async () => {
    await server?.close();
    await runtime?.dispose();
  });

  test('a script client subscribes over /api/trpc and gets the live event', async () => {
    runtime = await createTestRuntime({ env: { WS_TRANSPORT: transport } });
    expect(runtime.config.WS_TRANSPORT).toBe(transport);
    server = await startAppServer({ runtime, port: 0, host: '127.0.0.1', next: null });
    const { client, close } = clientFor(server, await createKey(runtime, runtime.workspaceId, 'viewer'), 'ws');
    const messages: string[] = [];
    const sub = client.activityFeed.subscribe({}, {
      onData: ({ data }) => {
        if (data.kind === 'event') messages.push(data.event.data.message);
      },
    });
    await waitFor(() => runtime.hub.size() === 1, { what: 'the subscription' });
    await logNote(runtime, 'through the app server');
    await waitFor(() => messages.includes('through the app server'), { what: 'the event' });
    sub.unsubscribe();
    close();
  });
});

test('WS_TRANSPORT defaults to ours', () => {
  expect(loadConfig({}).WS_TRANSPORT).toBe('linernotes');
  expect(() => loadConfig({ WS_TRANSPORT: 'socket.io' })).toThrow(/WS_TRANSPORT/);
});

/** The operator's endpoints and the connection-level guards of the app server, from the outside. */
import http from 'node:http';
import WebSocket from 'ws';
import { afterEach, expect, test } from 'vitest';
import type { AppServer } from '~/server/http/app-server';
import { workspaceWithKey } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { clientFor, startTestServer } from '../support/server';

let runtime: TestRuntime | null = null;
let server: AppServer | null = null;
afterEach(async () => {
  await server?.close();
  await runtime?.dispose();
  server = null;
  runtime = null;
});

async function start(env: Record<string, string> = {}) {
  runtime = await createTestRuntime({ env });
  server = await startTestServer(runtime);
  return { runtime, server };
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      })
      .on('error', reject);
  });
}

test('/healthz and /readyz answer, every response carries a request id, and /metrics counts connections and subscriptions live', async () => {
  const { runtime, server } = await start();
  expect((await get(`${server.url}/healthz`)).status).toBe(200);
  const ready = await get(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(JSON.parse(ready.body)).toEqual({ ready: true, database: true, bus: true });
  expect(ready.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{8,}$/);

  const { key } = await workspaceWithKey(runtime, 'member');
  const { client, close } = clientFor(server, key, 'ws');
  let snapshots = 0;
  const subscription = client.activityFeed.subscribe(undefined, { onData: () => snapshots++ });
  await waitFor(() => snapshots > 0, { what: 'the snapshot' });
  await client.activity.note.mutate({ message: 'counted' });
  await waitFor(() => snapshots > 1, { what: 'the note' });
  const metrics = (await get(`${server.url}/metrics`)).body;
  expect(metrics).toContain('linernotes_connections{transport="ws"} 1');
  expect(metrics).toContain('linernotes_subscriptions{procedure="activityFeed"} 1');
  expect(metrics).toMatch(/linernotes_events_published_total\{type="activity_logged"\} [1-9]/);
  expect(metrics).toMatch(/linernotes_process_cpu_user_seconds_total/);
  subscription.unsubscribe();
  close();
  await waitFor(async () => (await get(`${server.url}/metrics`)).body.includes('linernotes_connections{transport="ws"} 0'), { what: 'the connection to go' });
});

test('with METRICS_TOKEN set, /metrics needs it', async () => {
  const { server } = await start({ METRICS_TOKEN: 'a-token-of-sixteen-plus' });
  const refused = await get(`${server.url}/metrics`);
  expect(refused.status).toBe(401);
  expect(refused.body).not.toContain('linernotes_');
  expect((await get(`${server.url}/metrics`, { authorization: 'Bearer a-token-of-sixteen-plus' })).status).toBe(200);
});

test('bound to loopback, a request addressed to another host name is refused (DNS rebinding), HTTP and WebSocket alike', async () => {
  const { runtime, server } = await start();
  expect((await get(`${server.url}/healthz`, { host: 'evil.example:3000' })).status).toBe(421);
  expect((await get(`${server.url}/healthz`, { host: `localhost:${server.port}` })).status).toBe(200);
  const { key } = await workspaceWithKey(runtime);
  const status = await new Promise<number>((resolve) => {
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/trpc`, { headers: { host: 'evil.example', authorization: `Bearer ${key}` } });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    socket.on('open', () => resolve(101));
  });
  expect(status).toBe(421);
});

test('one address may hold MAX_CONNECTIONS_PER_IP open WebSockets; the next is refused with 429 until one closes', async () => {
  const { runtime, server } = await start({ MAX_CONNECTIONS_PER_IP: '2' });
  const { key } = await workspaceWithKey(runtime);
  const open = () =>
    new Promise<{ socket: WebSocket; status: number }>((resolve) => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/trpc`, { headers: { authorization: `Bearer ${key}` } });
      socket.on('unexpected-response', (_req, res) => resolve({ socket, status: res.statusCode! }));
      socket.on('open', () => resolve({ socket, status: 101 }));
    });
  const first = await open();
  const second = await open();
  const third = await open();
  expect([first.status, second.status, third.status]).toEqual([101, 101, 429]);
  first.socket.close();
  await waitFor(async () => {
    const again = await open();
    if (again.status === 101) again.socket.close();
    return again.status === 101;
  }, { what: 'a freed slot' });
  second.socket.close();
});

import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { AppServer } from '~/server/http/app-server';
import { startTestServer } from '../support/server';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { waitFor } from '../support/iterate';
import { createKey } from '../support/accounts';

let runtime: TestRuntime;
let server: AppServer;
let apiKey: string;
beforeAll(async () => {
  runtime = await createTestRuntime({ env: { WS_MAX_PAYLOAD_BYTES: '65536' } });
  server = await startTestServer(runtime);
  apiKey = await createKey(runtime, runtime.workspaceId, 'viewer');
});
afterAll(async () => {
  await server.close();
  await runtime.dispose();
});

/** A raw socket speaking tRPC's WebSocket wire protocol, to send what no typed client would (as a script, with a key). */
async function rawSocket() {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/trpc`, { headers: { authorization: `Bearer ${apiKey}` } });
  const frames: { id?: number | string | null; result?: { type: string }; error?: { data?: { code?: string }; message: string } }[] = [];
  socket.on('message', (data) => {
    const text = data.toString();
    if (text !== 'PONG') frames.push(JSON.parse(text));
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, frames };
}

test('a malformed frame, an unknown procedure and bad input each end one call, never the socket', async () => {
  const { socket, frames } = await rawSocket();
  socket.send('{this is not json');
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'noSuchProcedure', input: {} } }));
  socket.send(JSON.stringify({ id: 2, method: 'subscription', params: { path: 'jobStatus', input: { jobId: 42 } } }));
  socket.send(JSON.stringify({ id: 3, method: 'subscription', params: { path: 'activityFeed', input: {} } }));
  await waitFor(() => frames.some((f) => f.id === 3 && f.result?.type === 'data'), { what: 'the good subscription' });
  await waitFor(() => frames.filter((f) => f.error).length >= 3, { what: 'three errors' });

  const errorFor = (id: number | null) => frames.find((f) => f.error && (f.id ?? null) === id)?.error;
  expect(errorFor(null)?.data?.code).toBe('PARSE_ERROR');
  expect(errorFor(1)?.data?.code).toBe('NOT_FOUND');
  expect(errorFor(2)?.data?.code).toBe('BAD_REQUEST');
  expect(socket.readyState).toBe(WebSocket.OPEN);
  socket.close();
});

test('an oversized message is refused and the server keeps serving everyone else', async () => {
  const bystander = await rawSocket();
  bystander.socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'activityFeed', input: {} } }));
  await waitFor(() => bystander.frames.some((f) => f.result?.type === 'data'));

  const { socket } = await rawSocket();
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  socket.send(JSON.stringify({ id: 9, method: 'query', params: { path: 'activity.list', input: { pad: 'x'.repeat(200_000) } } }));
  expect(await closed).toBe(1009); // message too big

  expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
  bystander.socket.send(JSON.stringify({ id: 2, method: 'query', params: { path: 'activity.list', input: {} } }));
  await waitFor(() => bystander.frames.some((f) => f.id === 2 && f.result?.type === 'data'));
  bystander.socket.close();
});

test('an upgrade on any other path is refused at once instead of left hanging', async () => {
  // With a valid key, so it is the path that is refused, not the missing credentials.
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/trpc/extra`, { headers: { authorization: `Bearer ${apiKey}` } });
  const outcome = await new Promise<string>((resolve) => {
    socket.once('open', () => resolve('open'));
    socket.once('error', () => resolve('refused'));
  });
  expect(outcome).toBe('refused');
});

/** Our handler's per-connection caps: beyond them a call gets a typed error, the socket stays. */
import { TRPCClientError } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startHarness } from './harness';

let runtime: TestRuntime;
let harness: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  runtime = await createTestRuntime();
});
afterAll(() => runtime?.dispose());
afterEach(() => harness?.close());

test('a connection past its open-subscription cap gets TOO_MANY_REQUESTS until it stops one', async () => {
  harness = await startHarness('linernotes', runtime, { limits: { maxSubscriptionsPerConnection: 2 } });
  const client = harness.client();
  const snapshots: number[] = [];
  const first = client.activityFeed.subscribe({}, { onData: () => snapshots.push(1) });
  client.jobStatus.subscribe({}, { onData: () => snapshots.push(2) });
  await waitFor(() => snapshots.length >= 2, { what: 'two subscriptions live' });

  const refused = await new Promise<unknown>((resolve) => client.trackStatus.subscribe({}, { onError: resolve }));
  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as TRPCClientError<any>).data?.code).toBe('TOO_MANY_REQUESTS');
  expect((refused as Error).message).toMatch(/2 open subscriptions/);

  first.unsubscribe();
  await waitFor(() => runtime.hub.size() === 1, { what: 'the stopped subscription to go' });
  let third = false;
  client.trackStatus.subscribe({}, { onData: () => (third = true) });
  await waitFor(() => third, { what: 'a subscription in the freed slot' });
  expect(harness.connections).toBe(1);
});

test('requests beyond the per-second allowance get TOO_MANY_REQUESTS; the rest are served', async () => {
  harness = await startHarness('linernotes', runtime, { limits: { maxInboundMessagesPerSecond: 5 } });
  const socket = new WebSocket(harness.url);
  const replies: Array<{ id: number; result?: unknown; error?: { data: { code: string }; message: string } }> = [];
  socket.on('message', (data) => replies.push(JSON.parse(data.toString())));
  await new Promise((resolve) => socket.once('open', resolve));
  const requests = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, method: 'query', params: { path: 'activity.list', input: {} } }));
  socket.send(JSON.stringify(requests));
  await waitFor(() => replies.length === 8, { what: 'eight replies' });
  const refused = replies.filter((reply) => reply.error);
  expect(replies.filter((reply) => reply.result)).toHaveLength(5);
  expect(refused).toHaveLength(3);
  for (const reply of refused) {
    expect(reply.error!.data.code).toBe('TOO_MANY_REQUESTS');
    expect(reply.error!.message).toMatch(/more than 5 requests in one second/);
  }
  expect(socket.readyState).toBe(WebSocket.OPEN);
  socket.close();
});

test('one frame carrying many subscribes cannot pass the cap or reuse an id, and none of it outlives the socket', async () => {
  harness = await startHarness('linernotes', runtime, { limits: { maxSubscriptionsPerConnection: 3 } });
  const socket = new WebSocket(harness.url);
  const replies: Array<{ id: number; result?: { type: string }; error?: { data: { code: string }; message: string } }> = [];
  socket.on('message', (data) => replies.push(JSON.parse(data.toString())));
  await new Promise((resolve) => socket.once('open', resolve));
  // Ids 1-3 fill the cap; 2 again is a duplicate; 4 and 5 are over the cap. All in one frame.
  const frame = [1, 2, 3, 2, 4, 5].map((id) => ({ id, method: 'subscription', params: { path: 'activityFeed', input: {} } }));
  socket.send(JSON.stringify(frame));
  await waitFor(() => replies.filter((reply) => reply.error).length === 3, { what: 'three refusals' });
  await waitFor(() => runtime.hub.size() === 3, { what: 'three live subscriptions' });
  const refusals = replies.filter((reply) => reply.error).map((reply) => [reply.id, reply.error!.data.code]);
  expect(refusals).toEqual([
    [2, 'BAD_REQUEST'],
    [4, 'TOO_MANY_REQUESTS'],
    [5, 'TOO_MANY_REQUESTS'],
  ]);
  expect(replies.find((reply) => reply.id === 2 && reply.error)!.error!.message).toMatch(/already open/);
  // Three started, each once: the duplicate never replaced the open subscription 2.
  expect(replies.filter((reply) => reply.result?.type === 'started').map((reply) => reply.id).sort()).toEqual([1, 2, 3]);
  socket.close();
  await waitFor(() => runtime.hub.size() === 0, { what: 'every subscription of the closed socket gone from the hub', timeoutMs: 1_000 });
});

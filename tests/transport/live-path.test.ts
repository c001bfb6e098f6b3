/**
 * Our transport's live path (src/server/events/stream.ts DirectDelivery, ws-transport/corked-sender.ts):
 * once a subscription is live the hub's fan-out writes its frames, each socket once per tick, with
 * the same semantics as the generic path: one frame per event without batching, a tick's pile-up
 * as one batch with it, volatile values conflated with the trailing one delivered, durable order
 * and no duplicate across the hand-over from replay to live.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { EventInput, VolatileType } from '~/server/events/catalog';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { logNote, startHarness, type HandlerKind } from './harness';

type Frame = {
  id: number;
  result?: { type: string; id?: string; data?: { id: string; data: { kind: string; event?: { id: string; data: unknown }; events?: Array<{ id: string }> } } };
};

let runtime: TestRuntime | null = null;
let harness: Awaited<ReturnType<typeof startHarness>> | null = null;
afterEach(async () => {
  await harness?.close();
  await runtime?.dispose();
  harness = null;
  runtime = null;
});

async function start(kind: HandlerKind, maxBatch: number) {
  runtime = await createTestRuntime({ flow: { maxBatch } });
  harness = await startHarness(kind, runtime);
  const serverSockets: Socket[] = [];
  harness.wss.on('connection', (_ws, req) => serverSockets.push(req.socket as Socket));
  return { runtime, harness, serverSockets };
}

/** A raw WebSocket client speaking tRPC's frames, so the test sees every frame as it was sent. */
async function rawSubscriber(url: string, path: string, input: Record<string, unknown> = {}) {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path, input } }));
  await waitFor(() => frames.some((f) => f.result?.data?.data.kind === 'snapshot' || f.result?.data?.data.kind === 'event' || f.result?.data?.data.kind === 'batch'), { what: 'the first message' });
  const dataFrames = () => frames.filter((f) => f.result?.type === 'data').map((f) => f.result!);
  return { socket, frames, dataFrames };
}

function jobEvents(rt: TestRuntime, count: number, tag: string) {
  return rt.log.transaction(async (tx) => {
    for (let n = 0; n < count; n++) {
      const jobId = `${tag}-${n}`;
      tx.emit({ type: 'job_status_changed', workspaceId: rt.workspaceId, keys: { jobId }, data: { jobId, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null } });
    }
  });
}

const seqOf = (id: string) => Number(id.slice(id.lastIndexOf(':') + 1));

describe('writes per socket per tick', () => {
  test('ours: the ten events of one transaction leave the socket in one writev, one frame each (batching off)', async () => {
    const { runtime: rt, harness: h, serverSockets } = await start('linernotes', 1);
    const client = await rawSubscriber(h.url, 'jobStatus');
    const [tcp] = serverSockets;
    const writev = vi.spyOn(tcp as unknown as { _writev: (...args: unknown[]) => void }, '_writev');
    const write = vi.spyOn(tcp as unknown as { _write: (...args: unknown[]) => void }, '_write');
    await jobEvents(rt, 10, 'tick');
    await waitFor(() => client.dataFrames().filter((r) => r.data?.data.kind === 'event').length === 10, { what: 'ten event frames' });
    const events = client.dataFrames().filter((r) => r.data?.data.kind === 'event');
    expect(events.map((r) => r.id)).toEqual(events.map((r) => r.data!.data.event!.id));
    const seqs = events.map((r) => seqOf(r.id!));
    expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => seqs[0]! + i));
    expect(writev.mock.calls.length + write.mock.calls.length).toBe(1);
    client.socket.close();
  });

  test('stock tRPC handler: one write per frame (the count above would catch a lost cork)', async () => {
    const { runtime: rt, harness: h, serverSockets } = await start('trpc', 1);
    const client = await rawSubscriber(h.url, 'jobStatus');
    const [tcp] = serverSockets;
    const writev = vi.spyOn(tcp as unknown as { _writev: (...args: unknown[]) => void }, '_writev');
    const write = vi.spyOn(tcp as unknown as { _write: (...args: unknown[]) => void }, '_write');
    await jobEvents(rt, 10, 'stock');
    await waitFor(() => client.dataFrames().filter((r) => r.data?.data.kind === 'event').length === 10, { what: 'ten event frames' });
    expect(writev.mock.calls.length + write.mock.calls.length).toBeGreaterThanOrEqual(10);
    client.socket.close();
  });
});

test('batching on: a tick that piles up events sends one batch tracked by its last id; a lone event goes alone', async () => {
  const { runtime: rt, harness: h } = await start('linernotes', 100);
  const client = await rawSubscriber(h.url, 'jobStatus');
  await jobEvents(rt, 10, 'pile');
  await waitFor(() => client.dataFrames().some((r) => r.data?.data.kind === 'batch'), { what: 'the batch' });
  await jobEvents(rt, 1, 'lone');
  await waitFor(() => client.dataFrames().some((r) => r.data?.data.kind === 'event'), { what: 'the lone event' });
  const live = client.dataFrames().filter((r) => r.data?.data.kind !== 'snapshot');
  expect(live.map((r) => r.data!.data.kind)).toEqual(['batch', 'event']);
  const batch = live[0]!.data!.data.events!;
  expect(batch).toHaveLength(10);
  expect(live[0]!.id).toBe(batch.at(-1)!.id);
  expect(seqOf(live[1]!.id!)).toBe(seqOf(batch.at(-1)!.id) + 1);
  client.socket.close();
});

test('volatile values on the live path conflate per key, never go back, and the trailing value arrives', async () => {
  const { runtime: rt, harness: h } = await start('linernotes', 100);
  const client = h.client();
  const received: Array<{ kind: string; event?: { keys: { playlistId?: string }; data: { followers: number } } }> = [];
  client.playlistUpdates.subscribe({}, { onData: (value) => received.push((value as { data: (typeof received)[number] }).data) });
  await waitFor(() => received.some((m) => m.kind === 'snapshot'), { what: 'the snapshot' });
  const publish = (playlistId: string, followers: number) =>
    rt.log.publish({ type: 'follower_count_changed', workspaceId: rt.workspaceId, keys: { playlistId }, data: { playlistId, previous: null, followers } } as EventInput<VolatileType>);
  for (let n = 1; n <= 300; n++) {
    publish('pl-a', n);
    publish('pl-b', 1000 + n);
    // Let a few fan-out ticks pass now and then, so values are sent across several intervals.
    if (n % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
  }
  const values = (playlistId: string) => received.filter((m) => m.event?.keys.playlistId === playlistId).map((m) => m.event!.data.followers);
  await waitFor(() => values('pl-a').at(-1) === 300 && values('pl-b').at(-1) === 1300, { what: 'both trailing values' });
  for (const [key, last] of [['pl-a', 300], ['pl-b', 1300]] as const) {
    const seen = values(key);
    expect(seen.length).toBeLessThan(300);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(last);
  }
});

test('a resume that replays while events keep committing hands over to the live path with no gap and no duplicate', async () => {
  const { runtime: rt, harness: h } = await start('linernotes', 1);
  for (let n = 0; n < 30; n++) await logNote(rt, `early-${n}`);
  const from = rt.log.idOf((await rt.log.head()) - 30);
  let writing = true;
  const writer = (async () => {
    for (let n = 0; writing && n < 10_000; n++) {
      await logNote(rt, `during-${n}`);
      // PGlite works on this thread: leave the sockets a turn between writes.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  const client = await rawSubscriber(h.url, 'activityFeed', { lastEventId: from });
  // Some events committed after the subscription went live, then stop writing.
  const head = await rt.log.head();
  await waitFor(async () => (await rt.log.head()) >= head + 5, { what: 'writes after the hand-over' });
  writing = false;
  await writer;
  const last = await rt.log.head();
  const seqs = () =>
    client
      .dataFrames()
      .flatMap((r) => (r.data?.data.kind === 'event' ? [r.data.data.event!.id] : r.data?.data.kind === 'batch' ? r.data.data.events!.map((e) => e.id) : []))
      .map(seqOf);
  await waitFor(() => seqs().at(-1) === last, { what: 'the last event' });
  const first = seqOf(from) + 1;
  expect(seqs()).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
  client.socket.close();
});

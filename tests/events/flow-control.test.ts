/**
 * Flow control per subscriber (src/server/events/subscriber-queue.ts, stream.ts): conflation of
 * volatile values with the trailing one always delivered, metric_update's 1 s floor, the bounds
 * of the durable queue, and durable order untouched by micro-batching.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Envelope, EventInput, VolatileType } from '~/server/events/catalog';
import { defaultFlowControl, flowStats } from '~/server/events/flow-control';
import { SubscriberQueue } from '~/server/events/subscriber-queue';
import { subscribe } from '../support/caller';
import { eventsOf, unwrap, waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let seq = 0;
function envelope<T extends Envelope['type']>(type: T, keys: Envelope['keys'], data: unknown): Envelope {
  seq++;
  return { id: `e:${seq}`, type, at: new Date(0).toISOString(), workspaceId: 'w', keys, data } as Envelope;
}
const followers = (playlistId: string, count: number) =>
  envelope('follower_count_changed', { playlistId }, { playlistId, previous: null, followers: count });
const metric = (playlistId: string, trackCount: number) =>
  envelope('metric_update', { playlistId }, {
    playlistId,
    metrics: { trackCount, enriched: 0, failed: 0, enrichedShare: 0, averagePopularity: null, totalStreams: 0 },
  });
const jobEvent = (n: number) =>
  envelope('job_status_changed', { jobId: `j${n}` }, { jobId: `j${n}`, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null });

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('SubscriberQueue', () => {
  test('volatile values conflate per key: only the latest of each is delivered', async () => {
    const time = clock();
    const queue = new SubscriberQueue(defaultFlowControl, time.now);
    const conflatedBefore = flowStats.conflated;
    for (let n = 1; n <= 100; n++) {
      queue.push(followers('a', n));
      queue.push(followers('b', 1000 + n));
    }
    const item = await queue.take();
    expect(item?.kind).toBe('volatile');
    const values = item!.kind === 'volatile' ? item!.events.map((e) => (e.data as { followers: number }).followers) : [];
    expect(values.sort()).toEqual([100, 1100]);
    expect(flowStats.conflated - conflatedBefore).toBe(198);
  });

  test('within the interval values wait, and the trailing one is delivered when it is due', async () => {
    const time = clock();
    const queue = new SubscriberQueue(defaultFlowControl, time.now);
    queue.push(followers('a', 1));
    expect((await queue.take())?.kind).toBe('volatile'); // sent at t0
    queue.push(followers('a', 2));
    queue.push(followers('a', 3));
    time.advance(defaultFlowControl.volatileIntervalMs);
    const trailing = await queue.take();
    expect(trailing?.kind === 'volatile' && trailing.events.map((e) => (e.data as { followers: number }).followers)).toEqual([3]);
  });

  test('metric_update reaches a subscriber at most once per second per playlist', async () => {
    const time = clock();
    const queue = new SubscriberQueue(defaultFlowControl, time.now);
    const controller = new AbortController();
    queue.push(metric('p1', 1));
    await queue.take(); // t0
    queue.push(metric('p1', 2));
    queue.push(metric('p2', 7)); // another playlist is not held back by p1
    const other = await queue.take();
    expect(other?.kind === 'volatile' && other.events.map((e) => e.keys.playlistId)).toEqual(['p2']);
    time.advance(500);
    // Not due yet: take() waits; abort it to see that nothing was ready.
    const early = queue.take(controller.signal);
    controller.abort();
    expect(await early).toBeNull();
    time.advance(500);
    const due = await queue.take();
    expect(due?.kind === 'volatile' && due.events.map((e) => (e.data as { metrics: { trackCount: number } }).metrics.trackCount)).toEqual([2]);
  });

  test('durable events come out in order, in batches of at most maxBatch, a lone one alone', async () => {
    const queue = new SubscriberQueue({ ...defaultFlowControl, maxBatch: 4 });
    const lone = jobEvent(0);
    queue.push(lone);
    expect(await queue.take()).toEqual({ kind: 'durable', events: [lone] });
    const pushed = Array.from({ length: 10 }, (_, n) => jobEvent(n + 1));
    for (const event of pushed) queue.push(event);
    const taken: Envelope[][] = [];
    while (taken.flat().length < 10) {
      const item = await queue.take();
      if (item?.kind === 'durable') taken.push(item.events);
    }
    expect(taken.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(taken.flat()).toEqual(pushed);
  });

  test('durable overflow by bytes drops what is queued, reports overflow once, keeps memory bounded', async () => {
    const queue = new SubscriberQueue({ ...defaultFlowControl, maxQueuedBytes: 2_000 });
    let maxQueued = 0;
    for (let n = 0; n < 1_000; n++) {
      queue.push(jobEvent(n));
      maxQueued = Math.max(maxQueued, queue.queuedBytes());
    }
    expect(maxQueued).toBeLessThanOrEqual(2_000);
    expect(queue.queuedBytes()).toBe(0);
    expect(await queue.take()).toEqual({ kind: 'overflow' });
  });
});

describe('through a subscription', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await createTestRuntime({ flow: { maxBatch: 25 } });
  });
  afterAll(() => runtime?.dispose());

  const publishFollowers = (playlistId: string, count: number) =>
    runtime.log.publish({
      type: 'follower_count_changed',
      workspaceId: runtime.workspaceId,
      keys: { playlistId },
      data: { playlistId, previous: null, followers: count },
    } as EventInput<VolatileType>);

  test('a burst of volatile values is conflated, and the last one always arrives', async () => {
    const sub = await subscribe(runtime, (c) => c.playlistUpdates({}));
    await waitFor(() => sub.messages.length >= 1, { what: 'the snapshot' });
    for (let n = 1; n <= 500; n++) publishFollowers('pl-1', n);
    await waitFor(() => sub.events.some((e) => (e.data as { followers: number }).followers === 500), { what: 'the trailing value' });
    const values = sub.events.map((e) => (e.data as { followers: number }).followers);
    expect(values.length).toBeLessThan(500);
    expect(values).toEqual([...values].sort((a, b) => a - b)); // latest wins, never an older value after a newer
    await sub.stop();
  });

  test('durable order is unchanged by micro-batching, and batches carry their last event id', async () => {
    const sub = await subscribe(runtime, (c) => c.jobStatus({}));
    await waitFor(() => sub.messages.length >= 1, { what: 'the snapshot' });
    const writes: Promise<unknown>[] = [];
    for (let t = 0; t < 40; t++) {
      writes.push(
        runtime.log.transaction(async (tx) => {
          for (let n = 0; n < 10; n++) {
            const jobId = `order-${t}-${n}`;
            tx.emit({ type: 'job_status_changed', workspaceId: runtime.workspaceId, keys: { jobId }, data: { jobId, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null } });
          }
        }),
      );
    }
    await Promise.all(writes);
    await waitFor(() => sub.events.length >= 400, { what: '400 events' });
    const seqs = sub.events.map((e) => Number(e.id.split(':')[1]));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
    const batches = sub.messages.filter((message) => unwrap(message).kind === 'batch');
    expect(batches.length).toBeGreaterThan(0);
    for (const message of batches) expect((message as unknown as [string])[0]).toBe(eventsOf(unwrap(message)).at(-1)!.id);
    await sub.stop();
  });

  test('each event is serialized once however many subscribers receive it', async () => {
    const subs = await Promise.all(Array.from({ length: 30 }, () => subscribe(runtime, (c) => c.jobStatus({}))));
    await waitFor(() => subs.every((sub) => sub.messages.length >= 1), { what: '30 snapshots' });
    const before = flowStats.serialized;
    await runtime.log.transaction(async (tx) => {
      for (let n = 0; n < 3; n++) {
        const jobId = `once-${n}`;
        tx.emit({ type: 'job_status_changed', workspaceId: runtime.workspaceId, keys: { jobId }, data: { jobId, playlistId: null, from: null, to: 'queued', attempt: 0, phase: null, error: null, retryAt: null } });
      }
    });
    await waitFor(() => subs.every((sub) => sub.events.length === 3), { what: 'every subscriber to get 3 events' });
    expect(flowStats.serialized - before).toBe(3);
    await Promise.all(subs.map((sub) => sub.stop()));
  });
});

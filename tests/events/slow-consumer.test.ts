/**
 * A client that stops reading its WebSocket while 10,000 events/s are published: the server holds
 * at most its bounds for it (queued bytes, socket buffer), ends the subscription with a
 * `slow_consumer` resync, and the client resumes from the resync's id without a gap.
 * Runs against the real app server (our WebSocket transport) with small bounds.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { flowStats } from '~/server/events/flow-control';
import type { AppServer } from '~/server/http/app-server';
import { createKey } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { startTestServer } from '../support/server';

const flow = { maxBufferedBytes: 64 << 10, maxQueuedBytes: 256 << 10, maxBatch: 20 };
// Events of ~2 KB fill the kernel's loopback socket buffers (several MB) in about a second.
const padding = 'x'.repeat(2_000);
// A message the stream took before it saw the socket congested: at most maxBatch events.
const oneMessageBytes = flow.maxBatch * (padding.length + 500);

let runtime: TestRuntime;
let server: AppServer;
let apiKey: string;
beforeAll(async () => {
  runtime = await createTestRuntime({ flow });
  server = await startTestServer(runtime);
  apiKey = await createKey(runtime, runtime.workspaceId, 'viewer');
});
afterAll(async () => {
  await server?.close();
  await runtime?.dispose();
});

type Frame = { id: number; result?: { type: string; id?: string; data?: { id: string; data: { kind: string; reason?: string; event?: { id: string }; events?: Array<{ id: string }> } } } };

function rawClient(url: string) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/trpc`, { headers: { authorization: `Bearer ${apiKey}` } });
  const frames: Frame[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  return { socket, frames, opened: new Promise((resolve) => socket.once('open', resolve)) };
}

const seqOf = (id: string) => Number(id.slice(id.lastIndexOf(':') + 1));
function eventSeqs(frames: Frame[], opId: number): number[] {
  return frames
    .filter((f) => f.id === opId && f.result?.type === 'data')
    .flatMap((f) => {
      const data = f.result!.data!.data;
      return data.kind === 'event' ? [data.event!] : data.kind === 'batch' ? data.events! : [];
    })
    .map((e) => seqOf(e.id));
}

/** Publishes durable job events at about `perSecond`, in transactions of 100, until `until()` holds. */
async function publishUntil(until: () => boolean, perSecond: number, maxEvents: number): Promise<number> {
  const started = Date.now();
  let sent = 0;
  while (!until() && sent < maxEvents) {
    await runtime.log.transaction(async (tx) => {
      for (let n = 0; n < 100; n++, sent++) {
        const jobId = `slow-${sent}`;
        tx.emit({ type: 'job_status_changed', workspaceId: runtime.workspaceId, keys: { jobId }, data: { jobId, playlistId: null, from: null, to: 'running', attempt: 1, phase: 1, error: padding, retryAt: null } });
      }
    });
    // Always give timers a turn (the sampler), even when behind schedule.
    const ahead = Math.max(1, (sent / perSecond) * 1000 - (Date.now() - started));
    await new Promise((resolve) => setTimeout(resolve, ahead));
  }
  return sent;
}

test('a stalled reader costs the server at most its bounds, gets a resync, and resumes without a gap', async () => {
  const client = rawClient(server.url);
  await client.opened;
  client.socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'jobStatus', input: {} } }));
  await waitFor(() => client.frames.some((f) => f.result?.data?.data.kind === 'snapshot'), { what: 'the snapshot' });
  const [serverSocket] = [...server.wss.clients];
  const firstSeq = (await runtime.log.head()) + 1;

  // Stop reading: the kernel buffers fill, then ws's bufferedAmount, then our queue.
  client.socket.pause();
  const resyncsBefore = flowStats.resyncEnded;
  let maxQueued = 0;
  let maxBuffered = 0;
  const sample = setInterval(() => {
    maxQueued = Math.max(maxQueued, runtime.hub.queuedBytes());
    maxBuffered = Math.max(maxBuffered, serverSocket!.bufferedAmount);
  }, 5);
  const published = await publishUntil(() => flowStats.resyncEnded > resyncsBefore, 10_000, 100_000);
  clearInterval(sample);
  maxQueued = Math.max(maxQueued, runtime.hub.queuedBytes());
  expect(flowStats.resyncEnded).toBe(resyncsBefore + 1);
  expect(maxQueued).toBeLessThanOrEqual(flow.maxQueuedBytes);
  expect(maxBuffered).toBeGreaterThan(flow.maxBufferedBytes); // the socket really was backed up
  expect(maxBuffered).toBeLessThanOrEqual(flow.maxBufferedBytes + oneMessageBytes);
  await waitFor(() => runtime.hub.size() === 0, { what: 'the ended subscription to let go of its queue' });

  // Read again: what was sent arrives, then the resync and `stopped`.
  client.socket.resume();
  await waitFor(() => client.frames.some((f) => f.id === 1 && f.result?.type === 'stopped'), { what: 'stopped', timeoutMs: 30_000 });
  const resync = client.frames.find((f) => f.result?.data?.data.kind === 'resync')!;
  expect(resync.result!.data!.data.reason).toBe('slow_consumer');
  const beforeResync = eventSeqs(client.frames, 1);
  expect(seqOf(resync.result!.id!)).toBe(beforeResync.at(-1) ?? firstSeq - 1);

  // Resume from the resync's id, as wsLink does with lastEventId.
  client.socket.send(JSON.stringify({ id: 2, method: 'subscription', params: { path: 'jobStatus', input: {}, lastEventId: resync.result!.id } }));
  const lastSeq = firstSeq + published - 1;
  await waitFor(() => eventSeqs(client.frames, 2).at(-1) === lastSeq, { what: 'the replay to catch up', timeoutMs: 30_000 });
  const all = [...beforeResync, ...eventSeqs(client.frames, 2)];
  expect(all).toEqual(Array.from({ length: published }, (_, i) => firstSeq + i));
  client.socket.close();
});

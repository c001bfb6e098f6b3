/**
 * One suite, two handlers: the stock `applyWSSHandler` and ours must behave the same to the stock
 * `@trpc/client` (`createWSClient` + `wsLink`), so either can stand behind WS_TRANSPORT.
 */
import { TRPCClientError } from '@trpc/client';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { handlerKinds, logNote, startHarness } from './harness';

type Tracked = { id: string; data: { kind: string; event?: { id: string; data: { message: string } }; events?: Array<{ id: string; data: { message: string } }> } };

/** Activity messages a subscription received, flattened from events and batches. */
function notes(received: Tracked[]): string[] {
  return received.flatMap(({ data }) => (data.kind === 'event' ? [data.event!] : data.kind === 'batch' ? data.events! : [])).map((e) => e.data.message);
}

describe.each(handlerKinds)('WebSocket handler %s', (kind) => {
  // One database per handler (a fresh one per test costs seconds on a busy machine); every test
  // starts its own server and subscriptions, so it sees only the events it makes.
  let runtime: TestRuntime;
  let harness: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    runtime = await createTestRuntime();
  });
  afterAll(() => runtime?.dispose());
  afterEach(() => harness?.close());

  async function start(opts?: Parameters<typeof startHarness>[2]) {
    harness = await startHarness(kind, runtime, opts);
    return harness;
  }

  test('queries and mutations travel over the socket', async () => {
    const client = (await start()).client();
    await logNote(runtime, 'first');
    const page = await client.activity.list.query({ limit: 200 });
    expect(page.items.map((item) => item.message)).toContain('first');
    await expect(client.probe.echo.mutate({ text: 'hello' })).resolves.toEqual({ echoed: 'hello' });
    const bad = await client.activity.list.query({ limit: 0 }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(TRPCClientError);
    expect((bad as TRPCClientError<any>).data?.code).toBe('BAD_REQUEST');
  });

  test('subscribe: started, tracked data in order, stop removes the server-side subscriber', async () => {
    const client = (await start()).client();
    const received: Tracked[] = [];
    let started = 0;
    const sub = client.activityFeed.subscribe({}, { onStarted: () => started++, onData: (value) => received.push(value as Tracked) });
    await waitFor(() => received.some((m) => m.data.kind === 'snapshot'), { what: 'the snapshot' });
    expect(started).toBe(1);
    await logNote(runtime, 'one');
    await logNote(runtime, 'two');
    await waitFor(() => notes(received).length === 2, { what: 'two events' });
    expect(notes(received)).toEqual(['one', 'two']);
    const last = received.at(-1)!;
    expect(last.id).toBe(last.data.kind === 'event' ? last.data.event!.id : last.data.events!.at(-1)!.id);
    sub.unsubscribe();
    await waitFor(() => runtime.hub.size() === 0, { what: 'the subscriber to detach' });
  });

  test('a subscription the server ends arrives as stopped, then complete', async () => {
    const client = (await start()).client();
    const values: unknown[] = [];
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.probe.finite.subscribe(undefined, {
        onStarted: () => events.push('started'),
        onData: (value) => values.push(value),
        onStopped: () => events.push('stopped'),
        onComplete: () => resolve(),
        onError: reject,
      });
    });
    expect(events).toEqual(['started', 'stopped']);
    expect(values).toEqual([
      { id: 'p:1', data: { n: 1 } },
      { id: 'p:2', data: { n: 2 } },
    ]);
  });

  test('after a dropped socket the client resumes from its last tracked id: no gap, no duplicate', async () => {
    const h = await start();
    const client = h.client();
    const received: Tracked[] = [];
    client.activityFeed.subscribe({}, { onData: (value) => received.push(value as Tracked) });
    await waitFor(() => received.length >= 1, { what: 'the snapshot' });
    for (const n of [1, 2, 3]) await logNote(runtime, `before-${n}`);
    await waitFor(() => notes(received).length === 3, { what: 'three events' });
    h.dropAll();
    for (const n of [1, 2, 3]) await logNote(runtime, `while-down-${n}`);
    await waitFor(() => h.connections >= 2, { what: 'the client to reconnect' });
    await logNote(runtime, 'after');
    await waitFor(() => notes(received).includes('after'), { what: 'the live event after reconnect' });
    expect(notes(received)).toEqual(['before-1', 'before-2', 'before-3', 'while-down-1', 'while-down-2', 'while-down-3', 'after']);
    // Resumed, not restarted: one snapshot only.
    expect(received.filter((m) => m.data.kind === 'snapshot')).toHaveLength(1);
  });

  test('an error in one subscription leaves the socket and its other subscriptions working', async () => {
    const h = await start();
    const client = h.client();
    const received: Tracked[] = [];
    client.activityFeed.subscribe({}, { onData: (value) => received.push(value as Tracked) });
    await waitFor(() => received.length >= 1, { what: 'the snapshot' });

    const badInput = await new Promise<unknown>((resolve) => {
      client.activityFeed.subscribe({ lastEventId: 'not an id' }, { onError: resolve });
    });
    expect((badInput as TRPCClientError<any>).data?.code).toBe('BAD_REQUEST');
    expect((badInput as Error).message).toMatch(/lastEventId/);

    const failed = await new Promise<unknown>((resolve) => {
      client.probe.failing.subscribe(undefined, { onError: resolve });
    });
    expect((failed as TRPCClientError<any>).data?.code).toBe('INTERNAL_SERVER_ERROR');

    await logNote(runtime, 'still here');
    await waitFor(() => notes(received).includes('still here'), { what: 'the surviving subscription' });
    expect(h.connections).toBe(1);
    expect(h.wss.clients.size).toBe(1);
  });

  test('connectionParams reach createContext before any request is served', async () => {
    const h = await start();
    const client = h.client({ connectionParams: { token: 'abc', screen: 'wall' } });
    const page = await client.activity.list.query({});
    expect(page.items).toBeInstanceOf(Array);
    expect(h.connectionParams).toEqual([{ token: 'abc', screen: 'wall' }]);
  });

  test('keep-alive: a client that answers PING stays, a silent one is dropped, PING gets PONG', async () => {
    const h = await start({ keepAlive: { pingMs: 100, pongWaitMs: 150 } });
    const client = h.client({ keepAlive: { intervalMs: 100, pongTimeoutMs: 500 } });
    const received: Tracked[] = [];
    client.activityFeed.subscribe({}, { onData: (value) => received.push(value as Tracked) });
    await waitFor(() => received.length >= 1, { what: 'the snapshot' });

    const silent = new WebSocket(h.url);
    const texts: string[] = [];
    silent.on('message', (data) => texts.push(data.toString()));
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send('PING');
    await waitFor(() => texts.includes('PONG'), { what: 'PONG' });
    await closed; // it never answers the server's PING
    expect(texts).toContain('PING');

    await logNote(runtime, 'alive');
    await waitFor(() => notes(received).includes('alive'), { what: 'the kept-alive subscription' });
    expect(h.connections).toBe(2); // the stock client's socket, plus the silent one: no reconnects
  });

  test('the reconnect notification makes clients reconnect and resume', async () => {
    const h = await start();
    const client = h.client();
    const received: Tracked[] = [];
    client.activityFeed.subscribe({}, { onData: (value) => received.push(value as Tracked) });
    await waitFor(() => received.length >= 1, { what: 'the snapshot' });
    await logNote(runtime, 'before');
    await waitFor(() => notes(received).length === 1, { what: 'one event' });
    h.handler.broadcastReconnectNotification();
    await waitFor(() => h.connections >= 2, { what: 'the client to reconnect' });
    await logNote(runtime, 'after');
    await waitFor(() => notes(received).includes('after'), { what: 'the event after reconnect' });
    expect(notes(received)).toEqual(['before', 'after']);
  });
});

test('both handlers put the same bytes on the wire for the same event', async () => {
  const runtime = await createTestRuntime();
  const stock = await startHarness('trpc', runtime);
  const ours = await startHarness('linernotes', runtime);
  try {
    const framesOf = async (url: string) => {
      const socket = new WebSocket(url);
      const frames: string[] = [];
      socket.on('message', (data) => frames.push(data.toString()));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ id: 7, jsonrpc: '2.0', method: 'subscription', params: { path: 'activityFeed', input: {} } }));
      socket.send(JSON.stringify({ id: 8, method: 'subscription', params: { path: 'activityFeed', input: {} } }));
      return { socket, frames };
    };
    const a = await framesOf(stock.url);
    const b = await framesOf(ours.url);
    await waitFor(() => a.frames.length >= 4 && b.frames.length >= 4, { what: 'started and snapshot frames' });
    await logNote(runtime, 'same bytes');
    await waitFor(() => a.frames.length >= 6 && b.frames.length >= 6, { what: 'the event frames' });
    const sorted = (frames: string[]) => [...frames].sort();
    expect(sorted(b.frames)).toEqual(sorted(a.frames));
    expect(a.frames.filter((frame) => frame.includes('same bytes'))).toHaveLength(2);
    a.socket.close();
    b.socket.close();
  } finally {
    await stock.close();
    await ours.close();
    await runtime.dispose();
  }
});

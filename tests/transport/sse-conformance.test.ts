/**
 * One suite, two SSE handlers: tRPC's stock node-http handler and ours must behave the same to the
 * stock `httpSubscriptionLink` (with the `eventsource` package as EventSource), so either can stand
 * behind SSE_TRANSPORT. The server is a plain HTTP server routing like the app server does:
 * subscription GETs to ours when it is on, everything else to tRPC's handler.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import { initTRPC, tracked, type AnyRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { EventSource } from 'eventsource';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { logActivity } from '~/server/activity/log-activity';
import { subscriptions } from '~/server/api/subscriptions';
import { createContextFactory, protectedProcedure, router, type Context } from '~/server/api/trpc';
import { loadConfig } from '~/server/config';
import { flowStats } from '~/server/events/flow-control';
import { startAppServer, type AppServer } from '~/server/http/app-server';
import { createLinernotesSSEHandler } from '~/server/http/sse-transport/sse-transport';
import { createKey, testCaller } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { clientFor } from '../support/server';

type HandlerKind = 'trpc' | 'linernotes';
const handlerKinds: HandlerKind[] = ['trpc', 'linernotes'];

const probeRouter = router({
  /** Yields two tracked values and returns: the client sees them, then the stream completes. */
  finite: protectedProcedure.subscription(async function* () {
    yield tracked('p:1', { n: 1 });
    yield tracked('p:2', { n: 2 });
  }),
});
const sseRouter = router({ ...subscriptions, probe: probeRouter });
type SSERouter = typeof sseRouter;

/** A router whose SSE settings are short enough to watch: the client gives up after 400 ms of silence. */
function idleRouter(ping: boolean) {
  const t = initTRPC.context<Context>().create({
    sse: { ping: { enabled: ping, intervalMs: 100 }, client: { reconnectAfterInactivityMs: 400 } },
  });
  return t.router({
    idle: t.procedure.subscription(async function* ({ signal }) {
      yield tracked('i:1', { hello: true });
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
    }),
  });
}
type IdleRouter = ReturnType<typeof idleRouter>;

const BASE = '/api/trpc';

async function startServer<TRouter extends AnyRouter>(kind: HandlerKind, runtime: TestRuntime, appRouter: TRouter) {
  const createContext = createContextFactory(runtime);
  const stock = createHTTPHandler({ router: appRouter, basePath: `${BASE}/`, createContext: ({ res }) => createContext({ caller: testCaller(runtime.workspaceId), res }) });
  const ours = kind === 'linernotes' ? createLinernotesSSEHandler({ router: appRouter, basePath: `${BASE}/`, createContext: ({ res }) => createContext({ caller: testCaller(runtime.workspaceId), res }) }) : null;
  const requests: Array<{ path: string; lastEventId: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: (req.url ?? '').split('?')[0]!, lastEventId: req.headers['last-event-id'] as string | undefined });
    if (!ours?.handle(req, res)) void stock(req, res);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url,
    requests,
    /** Cuts every connection from the server side, as a network drop would. */
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function clientOf<TRouter extends AnyRouter>(url: string) {
  return createTRPCClient<TRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // `as never`: the options' transformer type depends on TRouter, and no router here has one.
        true: httpSubscriptionLink({ url: `${url}${BASE}`, EventSource: EventSource as unknown as typeof globalThis.EventSource } as never),
        false: httpBatchLink({ url: `${url}${BASE}` } as never),
      }),
    ],
  });
}

type Tracked = { id?: string; data: { kind: string; event?: { id: string; data: { message: string } }; events?: Array<{ id: string; data: { message: string } }> } };

/** Activity messages a subscription received, flattened from events and batches. */
function notes(received: Tracked[]): string[] {
  return received.flatMap(({ data }) => (data.kind === 'event' ? [data.event!] : data.kind === 'batch' ? data.events! : [])).map((e) => e.data.message);
}

function logNote(runtime: TestRuntime, message: string) {
  return runtime.log.transaction((tx) => logActivity(tx, { workspaceId: runtime.workspaceId, kind: 'note', message }));
}

/** The snapshot message has arrived whole (tRPC writes its lines in separate chunks). */
const snapshotDone = (text: string) => /"kind":"snapshot".*\n\n\n/s.test(text);

/** The raw SSE text of one GET, read until `until` holds. */
async function readRaw(url: string, headers: Record<string, string>, until: (text: string) => boolean) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const request = http.get(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      const finish = () => {
        request.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, text });
      };
      res.on('data', (chunk: string) => {
        text += chunk;
        if (until(text)) finish();
      });
      res.on('end', finish);
    });
    request.on('error', reject);
  });
}

describe.each(handlerKinds)('SSE handler %s', (kind) => {
  // One database per handler; each test starts its own server and subscriptions.
  let runtime: TestRuntime;
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  const subscriptions: Array<{ unsubscribe(): void }> = [];
  beforeAll(async () => {
    runtime = await createTestRuntime();
  });
  afterAll(() => runtime?.dispose());
  afterEach(async () => {
    for (const sub of subscriptions.splice(0)) sub.unsubscribe();
    await server?.close();
    server = null;
  });

  async function start() {
    server = await startServer(kind, runtime, sseRouter);
    return { server, client: clientOf<SSERouter>(server.url) };
  }

  test('snapshot, then live events in order with their ids as tracked ids; unsubscribe frees the subscriber', async () => {
    const { client } = await start();
    const received: Tracked[] = [];
    let started = 0;
    const sub = client.activityFeed.subscribe({}, { onStarted: () => started++, onData: (value) => received.push(value as Tracked) });
    subscriptions.push(sub);
    await waitFor(() => received.some((m) => m.data.kind === 'snapshot'), { what: 'the snapshot' });
    expect(received[0]!.data.kind).toBe('snapshot');
    expect(started).toBe(1);
    expect(runtime.hub.size()).toBe(1);
    await logNote(runtime, 'one');
    await logNote(runtime, 'two');
    await waitFor(() => notes(received).length === 2, { what: 'two events' });
    expect(notes(received)).toEqual(['one', 'two']);
    for (const message of received.slice(1)) {
      expect(message.id).toBe(message.data.kind === 'event' ? message.data.event!.id : message.data.events!.at(-1)!.id);
    }
    sub.unsubscribe();
    await waitFor(() => runtime.hub.size() === 0, { what: 'the subscriber to detach' });
  });

  test('a subscription the server ends completes on the client with every value', async () => {
    const { client } = await start();
    const values: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      subscriptions.push(client.probe.finite.subscribe(undefined, { onData: (value) => values.push(value), onComplete: resolve, onError: reject }));
    });
    expect(values).toEqual([
      { id: 'p:1', data: { n: 1 } },
      { id: 'p:2', data: { n: 2 } },
    ]);
  });

  test('after the server drops the connection the client resumes from its last tracked id: no gap, no duplicate', async () => {
    const { server, client } = await start();
    const received: Tracked[] = [];
    subscriptions.push(client.activityFeed.subscribe({}, { onData: (value) => received.push(value as Tracked) }));
    await waitFor(() => received.length >= 1, { what: 'the snapshot' });
    for (const n of [1, 2]) await logNote(runtime, `before-${n}`);
    await waitFor(() => notes(received).length === 2, { what: 'two events' });
    const lastSeen = received.at(-1)!.id;
    server.dropAll();
    await waitFor(() => runtime.hub.size() === 0, { what: 'the dropped subscriber to detach' });
    for (const n of [1, 2, 3]) await logNote(runtime, `while-down-${n}`);
    // EventSource reconnects by itself (after its default 3 s) with the Last-Event-ID header.
    await waitFor(() => server.requests.length >= 2, { what: 'the client to reconnect', timeoutMs: 15_000 });
    expect(server.requests[1]!.lastEventId).toBe(lastSeen);
    await waitFor(() => notes(received).length === 5, { what: 'the events missed while down' });
    await logNote(runtime, 'after');
    await waitFor(() => notes(received).includes('after'), { what: 'the live event after reconnect' });
    expect(notes(received)).toEqual(['before-1', 'before-2', 'while-down-1', 'while-down-2', 'while-down-3', 'after']);
    // Resumed, not restarted: one snapshot only.
    expect(received.filter((m) => m.data.kind === 'snapshot')).toHaveLength(1);
  }, 30_000);

  test('lastEventId in the input replays what came after it', async () => {
    const { client } = await start();
    await logNote(runtime, 'replay-a');
    const first: Tracked[] = [];
    const sub = client.activityFeed.subscribe({}, { onData: (value) => first.push(value as Tracked) });
    await waitFor(() => first.length >= 1, { what: 'the snapshot' });
    sub.unsubscribe();
    const from = first[0]!.id!;
    await logNote(runtime, 'replay-b');
    await logNote(runtime, 'replay-c');
    const received: Tracked[] = [];
    subscriptions.push(client.activityFeed.subscribe({ lastEventId: from }, { onData: (value) => received.push(value as Tracked) }));
    await waitFor(() => notes(received).length === 2, { what: 'the replayed events' });
    expect(notes(received)).toEqual(['replay-b', 'replay-c']);
    expect(received.some((m) => m.data.kind === 'snapshot')).toBe(false);
  });

  test('bad input is a BAD_REQUEST that names the problem, and leaves no subscriber behind', async () => {
    const { client } = await start();
    const badId = await new Promise<unknown>((resolve) => {
      subscriptions.push(client.activityFeed.subscribe({ lastEventId: 'not an id' }, { onError: resolve }));
    });
    expect(badId).toBeInstanceOf(TRPCClientError);
    expect((badId as TRPCClientError<any>).data?.code).toBe('BAD_REQUEST');
    expect((badId as Error).message).toMatch(/lastEventId/);
    const unknownKey = await new Promise<unknown>((resolve) => {
      subscriptions.push(client.jobStatus.subscribe({ jobId: 'j', colour: 'red' } as never, { onError: resolve }));
    });
    expect((unknownKey as TRPCClientError<any>).data?.code).toBe('BAD_REQUEST');
    expect(runtime.hub.size()).toBe(0);
  });

  test('the wire: tRPC headers, `connected` with the reconnect config, `data` + `id` lines, `serialized-error`', async () => {
    const { server } = await start();
    const ok = await readRaw(`${server.url}${BASE}/activityFeed?input=${encodeURIComponent('{}')}`, { accept: 'text/event-stream' }, snapshotDone);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/event-stream');
    expect(ok.headers['cache-control']).toBe('no-cache, no-transform');
    // The router's sse.client settings, which the client uses as its inactivity timeout.
    expect(ok.text.startsWith('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\n\n')).toBe(true);
    expect(ok.text).toMatch(/\ndata: \{"kind":"snapshot",.*\}\nid: [A-Za-z0-9_-]+:\d+\n\n\n/);
    const bad = await readRaw(`${server.url}${BASE}/activityFeed?input=${encodeURIComponent('{"nope":1}')}`, {}, () => false);
    expect(bad.status).toBe(200);
    expect(bad.text).toMatch(/^event: connected\n/);
    const [, errorJson] = /\nevent: serialized-error\ndata: (.*)\n\n\n$/.exec(bad.text) ?? [];
    expect(JSON.parse(errorJson!)).toMatchObject({ code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'activityFeed' } });
    const notJson = await readRaw(`${server.url}${BASE}/activityFeed?input=%7Bnope`, {}, () => false);
    const [, notJsonError] = /\nevent: serialized-error\ndata: (.*)\n\n\n$/.exec(notJson.text) ?? [];
    expect(JSON.parse(notJsonError!)).toMatchObject({ data: { code: 'BAD_REQUEST' } });
    expect(runtime.hub.size()).toBe(0);
  });
});

describe.each(handlerKinds)('SSE handler %s: idle streams', (kind) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await createTestRuntime();
  });
  afterAll(() => runtime?.dispose());

  /** Subscribes to an idle stream for `ms` and counts the GETs the client made (1: it stayed). */
  async function idleFor(ping: boolean, ms: number) {
    const server = await startServer(kind, runtime, idleRouter(ping));
    const client = clientOf<IdleRouter>(server.url);
    const values: unknown[] = [];
    const sub = client.idle.subscribe(undefined, { onData: (value) => values.push(value) });
    try {
      await waitFor(() => values.length >= 1, { what: 'the first value' });
      await new Promise((resolve) => setTimeout(resolve, ms));
      return server.requests.length;
    } finally {
      sub.unsubscribe();
      await server.close();
    }
  }

  test('pings keep an idle stream open past the client inactivity timeout', async () => {
    expect(await idleFor(true, 1_200)).toBe(1);
  });

  test('without pings the same idle stream is given up on and reopened (so the pings are what kept it)', async () => {
    expect(await idleFor(false, 1_200)).toBeGreaterThan(1);
  });
});

test('both handlers put the same bytes on the wire for the same events', async () => {
  const runtime = await createTestRuntime();
  const stock = await startServer('trpc', runtime, sseRouter);
  const ours = await startServer('linernotes', runtime, sseRouter);
  try {
    await logNote(runtime, 'bytes-0');
    const head = await readRaw(`${stock.url}${BASE}/activityFeed`, {}, snapshotDone);
    const from = /\nid: (\S+)\n/.exec(head.text)![1]!;
    for (const n of [1, 2, 3]) await logNote(runtime, `bytes-${n}`);
    // Replayed as one batch, then a live single event: both kinds of message.
    const read = (url: string) =>
      readRaw(`${url}${BASE}/activityFeed?input=${encodeURIComponent(JSON.stringify({ lastEventId: from }))}`, {}, (text) => /bytes-4.*\n\n\n/s.test(text));
    const a = read(stock.url);
    const b = read(ours.url);
    await waitFor(() => runtime.hub.size() === 2, { what: 'both subscribers' });
    await logNote(runtime, 'bytes-4');
    const [stockBytes, ourBytes] = await Promise.all([a, b]);
    expect(ourBytes.text).toBe(stockBytes.text);
    expect(ourBytes.text).toContain('bytes-3');
    expect(ourBytes.headers['content-type']).toBe(stockBytes.headers['content-type']);
  } finally {
    await stock.close();
    await ours.close();
    await runtime.dispose();
  }
});

test('our handler turns each event into JSON once, however many subscribers it reaches', async () => {
  const runtime = await createTestRuntime();
  const ours = await startServer('linernotes', runtime, sseRouter);
  try {
    const streams = Array.from({ length: 3 }, () =>
      readRaw(`${ours.url}${BASE}/activityFeed`, {}, (text) => /once-only.*\n\n\n/s.test(text)),
    );
    await waitFor(() => runtime.hub.size() === 3, { what: 'three subscribers' });
    const before = flowStats.serialized;
    await logNote(runtime, 'once-only');
    const texts = (await Promise.all(streams)).map((stream) => stream.text);
    for (const text of texts) expect(text).toContain('"message":"once-only"');
    expect(flowStats.serialized - before).toBe(1);
  } finally {
    await ours.close();
    await runtime.dispose();
  }
});

describe.each(['linernotes', 'trpc'] as const)('app server with SSE_TRANSPORT=%s', (transport) => {
  let runtime: TestRuntime;
  let server: AppServer;
  afterEach(async () => {
    await server?.close();
    await runtime?.dispose();
  });

  test('the script client subscribes over SSE, queries over HTTP, and the subscriber goes when it stops', async () => {
    runtime = await createTestRuntime({ env: { SSE_TRANSPORT: transport } });
    expect(runtime.config.SSE_TRANSPORT).toBe(transport);
    server = await startAppServer({ runtime, port: 0, host: '127.0.0.1', next: null });
    const { client, close } = clientFor(server, await createKey(runtime, runtime.workspaceId, 'viewer'), 'sse');
    const messages: string[] = [];
    const sub = client.activityFeed.subscribe({}, {
      onData: ({ data }) => {
        if (data.kind === 'event') messages.push(data.event.data.message);
      },
    });
    await waitFor(() => runtime.hub.size() === 1, { what: 'the subscription' });
    await logNote(runtime, 'through the app server');
    await waitFor(() => messages.includes('through the app server'), { what: 'the event' });
    const page = await client.activity.list.query({ limit: 10 });
    expect(page.items.map((item) => item.message)).toContain('through the app server');
    sub.unsubscribe();
    await waitFor(() => runtime.hub.size() === 0, { what: 'the subscriber to detach' });
    close();
  });
});

test('SSE_TRANSPORT defaults to ours and rejects anything else', () => {
  expect(loadConfig({}).SSE_TRANSPORT).toBe('linernotes');
  expect(() => loadConfig({ SSE_TRANSPORT: 'websocket' })).toThrow(/SSE_TRANSPORT/);
});

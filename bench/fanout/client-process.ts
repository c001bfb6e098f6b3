/**
 * The bench's subscribers: N connections in one process (a separate process from the server), all
 * subscribed to activityFeed (or the raw broadcast). Counts messages and events and reports them
 * to the server process every 10 ms; in the latency phase it also records emit-to-receive times
 * (outside it, a batch's events are counted in its text without parsing it: see countEvents).
 * The `wire` clients speak the wire protocols directly (tRPC's WebSocket frames, SSE `data:` lines)
 * so 5,000 of them fit in one process; the conformance suite proves the stock client reads the
 * same. The `trpc-client` ones are the stock `@trpc/client` (`createWSClient` + `wsLink`, one
 * WebSocket client and one tRPC client each, the key as `connectionParams.token`), as a user's
 * Node script would subscribe: the server process spreads those over several client processes.
 */
import http from 'node:http';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import WebSocket from 'ws';
import type { AppRouter } from '~/server/api/root';
import type { ClientCommand, ClientReport, ClientSpec } from './protocol';

const spec = JSON.parse(process.env.BENCH_CLIENT_SPEC!) as ClientSpec;
const report = (message: ClientReport) => process.send!(message);

let messages = 0;
let events = 0;
let measuring = false;
let latencies: number[] = [];

/** Counts one received message; in the latency phase, parses it for its events' emit times. */
function onMessage(text: string, raw: boolean): void {
  if (raw) {
    messages++;
    events++;
    if (measuring) record(JSON.parse(text) as { data: { message: string } });
    return;
  }
  const isBatch = text.includes('"kind":"batch"');
  if (!isBatch && !text.includes('"kind":"event"')) return; // started, snapshot, pings
  messages++;
  if (!measuring) {
    events += isBatch ? countEvents(text) : 1;
    return;
  }
  const value = JSON.parse(text) as Record<string, unknown>;
  // tRPC WebSocket frame: result.data.data is the stream message; SSE: the line is the message.
  const message = ((value.result as { data?: { data?: unknown } } | undefined)?.data?.data ?? value) as {
    kind: string;
    event?: { data: { message: string } };
    events?: Array<{ data: { message: string } }>;
  };
  const carried = message.kind === 'batch' ? message.events! : [message.event!];
  events += carried.length;
  if (measuring) for (const event of carried) record(event);
}

const EVENT_MARK = '"type":"activity_logged"';

/**
 * The events a batch carries, counted in its text (each event's JSON names its type once) rather
 * than by parsing it: a JSON.parse of every batch in this process took CPU the server, on the
 * same cores, then did not get. The latency phase still parses every message.
 */
function countEvents(text: string): number {
  let count = 0;
  for (let at = text.indexOf(EVENT_MARK); at >= 0; at = text.indexOf(EVENT_MARK, at + EVENT_MARK.length)) count++;
  return count;
}

/** A value the stock client hands to `onData`: the tracked `{ id, data }` pair, or the message. */
function onTrpcData(value: unknown): boolean {
  const message = ((value as { data?: unknown }).data ?? value) as {
    kind: string;
    event?: { data: { message: string } };
    events?: Array<{ data: { message: string } }>;
  };
  if (message.kind === 'snapshot') return true;
  if (message.kind !== 'event' && message.kind !== 'batch') return false;
  messages++;
  const carried = message.kind === 'batch' ? message.events! : [message.event!];
  events += carried.length;
  if (measuring) for (const event of carried) record(event);
  return false;
}

function record(event: { data: { message: string } }): void {
  latencies.push(performance.timeOrigin + performance.now() - Number(event.data.message));
}

function connectWs(url: string, raw: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, headers: raw ? {} : { authorization: `Bearer ${spec.key}` } });
    let ready = false;
    socket.on('open', () => {
      if (raw) {
        ready = true;
        return resolve();
      }
      socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'activityFeed', input: {} } }));
    });
    socket.on('message', (data) => {
      const text = data.toString();
      if (!ready && text.includes('"kind":"snapshot"')) {
        ready = true;
        resolve();
      }
      onMessage(text, raw);
    });
    socket.on('error', reject);
  });
}

/** One stock tRPC client: resolves once its subscription's snapshot has arrived. */
function connectTrpcClient(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const wsClient = createWSClient({
      url,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
      connectionParams: { token: spec.key },
      onClose: (cause) => {
        if (!ready) reject(new Error(`WebSocket closed before the snapshot: ${cause?.code ?? 'no code'}`));
      },
    });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink<AppRouter>({ client: wsClient })] });
    trpc.activityFeed.subscribe(
      {},
      {
        onData: (value) => {
          if (onTrpcData(value) && !ready) {
            ready = true;
            resolve();
          }
        },
        onError: (error) => {
          if (!ready) reject(error);
          else report({ kind: 'failed', error: String(error) });
        },
      },
    );
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function connectSse(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const target = `${url}/api/trpc/activityFeed?input=${encodeURIComponent(JSON.stringify({}))}`;
    const request = http.get(target, { agent, headers: { accept: 'text/event-stream', authorization: `Bearer ${spec.key}` } }, (res) => {
      res.setEncoding('utf8');
      let buffered = '';
      let ready = false;
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          for (const line of block.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const text = line.slice(6);
            if (!ready && text.includes('"kind":"snapshot"')) {
              ready = true;
              resolve();
            }
            onMessage(text, false);
          }
        }
      });
    });
    request.on('error', reject);
  });
}

async function main(): Promise<void> {
  const connect =
    spec.client === 'trpc-client'
      ? () => connectTrpcClient(spec.url)
      : spec.transport === 'sse'
        ? () => connectSse(spec.url)
        : () => connectWs(spec.url, spec.transport === 'raw-ws' || spec.transport === 'raw-ws-corked');
  // Connect in waves (a 5,000-socket stampede only measures the accept queue), half first: the
  // server measures its RSS at N/2 and N, and the slope between them is the cost per subscriber.
  const connectMany = async (count: number) => {
    for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, connect));
  };
  const half = Math.floor(spec.n / 2);
  const rest = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await connectMany(half);
  report({ kind: 'half-ready' });
  await rest;
  await connectMany(spec.n - half);
  report({ kind: 'ready' });
  const progress = setInterval(() => report({ kind: 'progress', messages, events }), 10);
  process.on('message', (command: ClientCommand) => {
    if (command.kind === 'measure-latency') {
      if (command.on) {
        latencies = [];
        measuring = true;
      } else {
        measuring = false;
        report({ kind: 'latency', latencies });
      }
    } else if (command.kind === 'exit') {
      clearInterval(progress);
      process.exit(0);
    }
  });
}

main().catch((error: unknown) => {
  report({ kind: 'failed', error: String(error) });
  process.exit(1);
});

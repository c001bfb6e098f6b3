/**
 * One bench row's server side, in its own process so CPU and RSS belong to that row alone: the
 * project's real server (createRuntime + startAppServer, no Next, temp PGlite) or the raw `ws`
 * baselines (naive and corked) on the same runtime's bus; it forks the client process (or, for
 * the stock-client rows, several), drives the producer and measures. Prints nothing; sends its Row to the parent over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '~/server/config';
import { startAppServer } from '~/server/http/app-server';
import { createRuntime } from '~/server/runtime';
import { benchWorkspace } from '../support/bench-workspace';
import { benchProducer } from './bench-producer';
import type { ClientCommand, ClientReport, ClientSpec, Row, RowSpec, Timing } from './protocol';
import { startRawBroadcast } from './raw-broadcast';
import { startSaturationProfile } from './saturation-profile';

const spec = JSON.parse(process.env.BENCH_ROW!) as RowSpec;
const timing = JSON.parse(process.env.BENCH_TIMING!) as Timing;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Memory after GC: RSS (what the OS gives the process) and the JS heap plus external buffers. */
function settledMemory(): { rss: number; heap: number } {
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.external };
}

async function main(): Promise<Row> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-'));
  const handlerEnv = spec.transport === 'sse' ? (spec.handler ? { SSE_TRANSPORT: spec.handler } : {}) : { WS_TRANSPORT: spec.handler ?? 'linernotes' };
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_SEED_PLAYLISTS: '0', AUTH_RATE_LIMIT: 'false', MAX_CONNECTIONS_PER_IP: '20000', MAX_CONNECTIONS: '50000', ...handlerEnv });
  // Bounds high enough that the bounded in-flight window, not a resync, limits the bench.
  const runtime = await createRuntime(config, { flow: { maxBatch: spec.batching ? 100 : 1, maxQueuedDurable: 1_000_000, maxQueuedBytes: 1 << 30 } });
  const app = await startAppServer({ runtime, port: 0, host: '127.0.0.1', next: null });
  const raw = spec.transport === 'raw-ws' || spec.transport === 'raw-ws-corked' ? await startRawBroadcast(runtime.bus, { corked: spec.transport === 'raw-ws-corked' }) : null;
  const url = raw ? raw.url : spec.transport === 'ws' ? `${app.url.replace(/^http/, 'ws')}/api/trpc` : app.url;
  // Every subscriber authenticates with one viewer key of the bench's workspace, as a script would.
  const { workspaceId, key } = await benchWorkspace(runtime);
  const producer = benchProducer(runtime, workspaceId, await runtime.log.head());

  // The clients, in one process or (stock client rows) spread over several, each reporting its own
  // counts; the row sums them and merges their latency samples.
  const processes = Math.max(1, Math.min(spec.n, spec.clientProcesses ?? 1));
  const shares = Array.from({ length: processes }, (_, i) => Math.floor(spec.n / processes) + (i < spec.n % processes ? 1 : 0));
  const clients = shares.map((share) => {
    const state = { halfReady: false, ready: false, messages: 0, events: 0, latencies: null as number[] | null };
    const child: ChildProcess = fork(path.join(import.meta.dirname, 'client-process.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_CLIENT_SPEC: JSON.stringify({ url, transport: spec.transport, n: share, key, client: spec.client ?? 'wire' } satisfies ClientSpec) },
    });
    child.on('message', (report: ClientReport) => {
      if (report.kind === 'half-ready') state.halfReady = true;
      else if (report.kind === 'ready') state.ready = true;
      else if (report.kind === 'progress') Object.assign(state, { messages: report.messages, events: report.events });
      else if (report.kind === 'latency') state.latencies = report.latencies;
      else if (report.kind === 'failed') throw new Error(`client process failed: ${report.error}`);
    });
    return { child, state };
  });
  const received = {
    get messages() {
      return clients.reduce((sum, client) => sum + client.state.messages, 0);
    },
    get events() {
      return clients.reduce((sum, client) => sum + client.state.events, 0);
    },
  };
  const command = (message: ClientCommand) => {
    for (const client of clients) client.child.send(message);
  };
  while (!clients.every((client) => client.state.halfReady)) await sleep(20);
  await sleep(200);
  const atHalf = settledMemory();
  // Each process connected half of its share (rounded down) first.
  const connectedAtHalf = shares.reduce((sum, share) => sum + Math.floor(share / 2), 0);
  command({ kind: 'connect-rest' });
  while (!clients.every((client) => client.state.ready)) await sleep(20);
  await sleep(200);
  const atFull = settledMemory();

  // Saturation with a bounded in-flight window: emit while the average subscriber is fewer than
  // `window` events behind (about 100k messages in flight in all).
  const window = Math.max(10, Math.min(500, Math.floor(100_000 / spec.n)));
  let saturating = true;
  const pump = () => {
    if (!saturating) return;
    const behind = producer.emitted - received.events / spec.n;
    for (let i = 0; i < Math.min(10, window - behind); i++) producer.emit();
    setImmediate(pump);
  };
  pump();
  await sleep(timing.warmupMs);
  const profile = await startSaturationProfile(`${spec.transport}${spec.transport === 'ws' ? `-${spec.handler ?? 'linernotes'}` : spec.transport === 'sse' ? `-${config.SSE_TRANSPORT}` : ''}-batching-${spec.batching ? 'on' : 'off'}-n${spec.n}${spec.client && spec.client !== 'wire' ? `-${spec.client}` : ''}`);
  const start = { messages: received.messages, events: received.events, cpu: process.cpuUsage(), at: performance.now() };
  await sleep(timing.saturationMs);
  const end = { messages: received.messages, events: received.events, cpu: process.cpuUsage(), at: performance.now() };
  await profile.stop();
  saturating = false;
  const seconds = (end.at - start.at) / 1000;
  const messages = end.messages - start.messages;
  const cpuUs = end.cpu.user - start.cpu.user + end.cpu.system - start.cpu.system;

  // Let the window drain, then a fixed delivery rate for latency.
  await sleep(500);
  const eventsPerSec = timing.latencyMsgsPerSec / spec.n;
  command({ kind: 'measure-latency', on: true });
  let due = 0;
  const ticker = setInterval(() => {
    due += (eventsPerSec * 10) / 1000;
    for (; due >= 1; due--) producer.emit();
  }, 10);
  await sleep(timing.latencyMs);
  clearInterval(ticker);
  await sleep(300);
  command({ kind: 'measure-latency', on: false });
  while (!clients.every((client) => client.state.latencies)) await sleep(10);
  const latencies = Float64Array.from(clients.flatMap((client) => client.state.latencies!)).sort();
  const percentile = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;

  command({ kind: 'exit' });
  await raw?.close();
  await app.close();
  await runtime.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    transport: spec.transport,
    batching: spec.batching,
    n: spec.n,
    msgsPerSec: Math.round(messages / seconds),
    eventsPerSec: Math.round((end.events - start.events) / seconds),
    p50Ms: round(percentile(0.5), 2),
    p99Ms: round(percentile(0.99), 2),
    cpuUsPerMsg: round(cpuUs / Math.max(1, messages), 2),
    rssKbPerSubscriber: round((atFull.rss - atHalf.rss) / 1024 / (spec.n - connectedAtHalf), 1),
    // RSS lags (V8 keeps pages it grew into while the first half connected); the heap slope does not.
    heapKbPerSubscriber: round((atFull.heap - atHalf.heap) / 1024 / (spec.n - connectedAtHalf), 1),
    // Filled in by run.ts once the run's baselines are known.
    ratio: 0,
    ratioCorked: 0,
    eventsRatio: 0,
    eventsRatioCorked: 0,
    p99Ratio: 0,
    p99RatioCorked: 0,
    ...(spec.transport === 'sse' ? { handler: config.SSE_TRANSPORT } : spec.handler ? { handler: spec.handler } : {}),
    ...(spec.client && spec.client !== 'wire' ? { client: spec.client } : {}),
    ...(processes > 1 ? { clientProcesses: processes } : {}),
  };
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

main().then(
  (row) => {
    process.send!({ kind: 'row', row });
    setTimeout(() => process.exit(0), 100);
  },
  (error: unknown) => {
    process.send!({ kind: 'error', error: String((error as Error)?.stack ?? error) });
    setTimeout(() => process.exit(1), 100);
  },
);

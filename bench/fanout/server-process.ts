/**
 * One bench row's server side, in its own process so CPU and RSS belong to that row alone: the
 * project's real server (createRuntime + startAppServer, no Next, temp PGlite) or the raw `ws`
 * baseline on the same runtime's bus; it forks the client process, drives the producer and
 * measures. Prints nothing; sends its Row to the parent over IPC.
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
import type { ClientCommand, ClientReport, Row, RowSpec, Timing } from './protocol';
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
  const raw = spec.transport === 'raw-ws' ? await startRawBroadcast(runtime.bus) : null;
  const url = raw ? raw.url : spec.transport === 'ws' ? `${app.url.replace(/^http/, 'ws')}/api/trpc` : app.url;
  // Every subscriber authenticates with one viewer key of the bench's workspace, as a script would.
  const { workspaceId, key } = await benchWorkspace(runtime);
  const producer = benchProducer(runtime, workspaceId, await runtime.log.head());

  let received = { messages: 0, events: 0 };
  let latency: Extract<ClientReport, { kind: 'latency' }> | null = null;
  let ready = false;
  let halfReady = false;
  const client: ChildProcess = fork(path.join(import.meta.dirname, 'client-process.ts'), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_CLIENT_SPEC: JSON.stringify({ url, transport: spec.transport, n: spec.n, key }) },
  });
  client.on('message', (report: ClientReport) => {
    if (report.kind === 'half-ready') halfReady = true;
    else if (report.kind === 'ready') ready = true;
    else if (report.kind === 'progress') received = { messages: report.messages, events: report.events };
    else if (report.kind === 'latency') latency = report;
    else if (report.kind === 'failed') throw new Error(`client process failed: ${report.error}`);
  });
  const command = (message: ClientCommand) => client.send(message);
  while (!halfReady) await sleep(20);
  await sleep(200);
  const atHalf = settledMemory();
  command({ kind: 'connect-rest' });
  while (!ready) await sleep(20);
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
  const profile = await startSaturationProfile(`${spec.transport}${spec.transport === 'ws' ? `-${spec.handler ?? 'linernotes'}` : spec.transport === 'sse' ? `-${config.SSE_TRANSPORT}` : ''}-batching-${spec.batching ? 'on' : 'off'}-n${spec.n}`);
  const start = { ...received, cpu: process.cpuUsage(), at: performance.now() };
  await sleep(timing.saturationMs);
  const end = { ...received, cpu: process.cpuUsage(), at: performance.now() };
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
  while (!latency) await sleep(10);

  command({ kind: 'exit' });
  await raw?.close();
  await app.close();
  await runtime.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const done: Extract<ClientReport, { kind: 'latency' }> = latency;
  return {
    transport: spec.transport,
    batching: spec.batching,
    n: spec.n,
    msgsPerSec: Math.round(messages / seconds),
    eventsPerSec: Math.round((end.events - start.events) / seconds),
    p50Ms: round(done.p50Ms, 2),
    p99Ms: round(done.p99Ms, 2),
    cpuUsPerMsg: round(cpuUs / Math.max(1, messages), 2),
    rssKbPerSubscriber: round((atFull.rss - atHalf.rss) / 1024 / (spec.n - Math.floor(spec.n / 2)), 1),
    // RSS lags (V8 keeps pages it grew into while the first half connected); the heap slope does not.
    heapKbPerSubscriber: round((atFull.heap - atHalf.heap) / 1024 / (spec.n - Math.floor(spec.n / 2)), 1),
    ratio: 0,
    ...(spec.transport === 'sse' ? { handler: config.SSE_TRANSPORT } : spec.handler ? { handler: spec.handler } : {}),
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

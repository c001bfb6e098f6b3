/**
 * Memory per connection: the real server (createRuntime + startAppServer, no Next, temp PGlite)
 * in this process, N WebSocket clients in another (so their memory is not counted), each with an
 * API key. Measures the server's RSS and JS heap (+ external buffers) after GC: with N idle
 * connections, then with N connections each holding one `activityFeed` subscription (its snapshot
 * of 50 activity rows sent), then during a 200 MB multipart upload with no Content-Length.
 * BENCH_MEMORY_N changes N (default 2,000). Writes bench/results/memory.json.
 *
 * BENCH_MEMORY_SNAPSHOT=<dir> also writes heap snapshots of the server at each of the four points
 * (base, idle, base2, subscribed) into <dir> and skips the upload and the results file (a
 * snapshot's own allocations would skew the figures); compare two with heap-diff.ts:
 *
 *   npm run bench:memory
 *   BENCH_MEMORY_SNAPSHOT=/tmp/snap BENCH_MEMORY_N=1000 npm run bench:memory
 *   npx tsx bench/memory/heap-diff.ts /tmp/snap/base.heapsnapshot /tmp/snap/idle.heapsnapshot 1000
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { loadConfig } from '~/server/config';
import { startAppServer } from '~/server/http/app-server';
import { handleImportUpload } from '~/server/imports/upload-handler';
import { note } from '../../tests/support/produce';
import { createRuntime } from '~/server/runtime';
import { benchWorkspace } from '../support/bench-workspace';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const n = Number(process.env.BENCH_MEMORY_N ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const snapshotDir = process.env.BENCH_MEMORY_SNAPSHOT ?? null;

/** In snapshot mode, writes the heap as it is now (after `settled()`'s GCs) as <dir>/<name>.heapsnapshot. */
function snapshot(name: string) {
  if (snapshotDir) v8.writeHeapSnapshot(path.join(snapshotDir, `${name}.heapsnapshot`));
}

function settled() {
  for (let i = 0; i < 3; i++) gc!();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.external };
}

async function main() {
  if (process.env.BENCH_MEMORY_CLIENT) return clients();
  if (!gc) throw new Error('run with --expose-gc (npm run bench:memory does)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-memory-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_SEED_PLAYLISTS: '0', AUTH_RATE_LIMIT: 'false', MAX_CONNECTIONS_PER_IP: '100000', IMPORT_MAX_BYTES: String(32 << 20) });
  const runtime = await createRuntime(config);
  const app = await startAppServer({ runtime, port: 0, host: '127.0.0.1', next: null });
  const { workspaceId, key } = await benchWorkspace(runtime);
  for (let i = 0; i < 50; i++) await note(runtime, `note ${i}: pitched to the label, waiting on credits from the publisher`, workspaceId);

  const child = fork(fileURLToPath(import.meta.url), { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_MEMORY_CLIENT: '1', URL: app.url, KEY: key, N: String(n) } });
  const ask = (command: string) =>
    new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send(command);
    });
  // Warm up first: code compiled and caches filled on first use are not a connection's cost.
  await ask('subscribed');
  await ask('close');
  await sleep(2000);
  const base = settled();
  snapshot('base');
  await ask('idle');
  await sleep(1000);
  const idle = settled();
  snapshot('idle');
  await ask('close');
  await sleep(2000);
  const base2 = settled();
  snapshot('base2');
  await ask('subscribed');
  await sleep(1000);
  const subscribed = settled();
  snapshot('subscribed');
  await ask('close');
  child.kill();
  if (snapshotDir) {
    console.log(`heap snapshots written to ${snapshotDir}`);
    await app.close();
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }

  // A 200 MB multipart upload with no Content-Length: what does it cost before the 413?
  await sleep(1000);
  const beforeUpload = settled();
  let peakRss = beforeUpload.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  const chunk = new Uint8Array(1 << 20).fill(0x61);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\nurl\r\n'));
    },
    pull(controller) {
      if (sent >= 200 << 20) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const started = performance.now();
  const response = await handleImportUpload(runtime, workspaceId, new Request('http://localhost/api/imports', { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b' }, duplex: 'half' } as RequestInit));
  clearInterval(sampler);
  const kb = (a: number, b: number) => Math.round(((a - b) / n / 1024) * 10) / 10;
  const result = {
    at: new Date().toISOString(),
    node: process.version,
    connections: n,
    idle: { rssKbPerConnection: kb(idle.rss, base.rss), heapKbPerConnection: kb(idle.heap, base.heap) },
    subscribed: { rssKbPerConnection: kb(subscribed.rss, base2.rss), heapKbPerConnection: kb(subscribed.heap, base2.heap) },
    upload: { status: response.status, bytesSentBeforeRefusal: sent, rssRiseMb: Math.round(((peakRss - beforeUpload.rss) / (1 << 20)) * 10) / 10, ms: Math.round(performance.now() - started) },
  };
  console.log(JSON.stringify(result, null, 2));
  fs.writeFileSync(path.join(root, 'bench/results/memory.json'), `${JSON.stringify(result, null, 2)}\n`);
  await app.close();
  await runtime.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

async function clients() {
  const { default: WebSocket } = await import('ws');
  const url = `${process.env.URL!.replace('http', 'ws')}/api/trpc`;
  const count = Number(process.env.N);
  let sockets: InstanceType<typeof WebSocket>[] = [];
  const open = (subscribe: boolean) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: `Bearer ${process.env.KEY}` }, perMessageDeflate: false });
      sockets.push(socket);
      socket.on('open', () => (subscribe ? socket.send(JSON.stringify({ id: 1, method: 'subscription', params: { path: 'activityFeed', input: {} } })) : resolve()));
      socket.on('message', (data) => String(data).includes('"snapshot"') && resolve());
      socket.on('error', reject);
    });
  process.on('message', async (command: string) => {
    if (command === 'close') {
      for (const socket of sockets) socket.close();
      sockets = [];
    } else {
      for (let i = 0; i < count; i += 100) await Promise.all(Array.from({ length: Math.min(100, count - i) }, () => open(command === 'subscribed')));
    }
    process.send!('done');
  });
}

void main();

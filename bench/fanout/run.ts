/**
 * `npm run bench:fanout`: for N = 100, 1,000 and 5,000 subscribers, the project's WebSocket
 * (micro-batching off and on) and SSE paths against two raw `ws` broadcast baselines in the same
 * run (naive: one write per message; corked: one writev per socket per turn, the limit), each row
 * in fresh processes (server, clients); at N = 1,000 also the stock handlers and the stock
 * `@trpc/client` as subscribers. Writes bench/results/fanout.json and fanout.md.
 *
 * BENCH_N=100,1000 picks the sizes; BENCH_QUICK=1 shortens every phase (a smoke run);
 * BENCH_ROWS=ws,raw-ws,raw-ws-corked keeps only those transports; BENCH_CPU_PROF=1 profiles each server's
 * saturation phase into bench/results/profiles (figures of a profiled run are not comparable).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Row, RowSpec, Timing } from './protocol';
import { fillRatios, renderTable } from './report';

const quick = process.env.BENCH_QUICK === '1';
const timing: Timing = quick
  ? { warmupMs: 500, saturationMs: 1_000, latencyMs: 1_000, latencyMsgsPerSec: 10_000 }
  : { warmupMs: 1_000, saturationMs: 3_000, latencyMs: 3_000, latencyMsgsPerSec: 10_000 };
const sizes = (process.env.BENCH_N ?? '100,1000,5000').split(',').map(Number);

function specsFor(n: number): RowSpec[] {
  return [
    { transport: 'raw-ws', batching: false, n },
    // The fair baseline: the same broadcast with each socket corked for the turn, as ours does.
    { transport: 'raw-ws-corked', batching: false, n },
    { transport: 'ws', batching: false, n },
    { transport: 'ws', batching: true, n },
    { transport: 'sse', batching: true, n },
    // The stock handler at one size, for the "why our own transport" comparison.
    ...(n === 1000 ? [{ transport: 'ws', batching: false, n, handler: 'trpc' } as RowSpec] : []),
    // The same for SSE: tRPC's node-http SSE path (the `sse` row above runs the server's default),
    // and the default handler with batching off (one event per message), to set beside raw ws.
    ...(n === 1000
      ? [{ transport: 'sse', batching: true, n, handler: 'trpc' } as RowSpec, { transport: 'sse', batching: false, n } as RowSpec]
      : []),
    // What a user of the stock `@trpc/client` (createWSClient + wsLink, from Node) gets from our
    // server: 250 clients per process, four processes. Batching on is the server's default.
    ...(n === 1000
      ? ([true, false].map((batching) => ({ transport: 'ws', batching, n, client: 'trpc-client', clientProcesses: 4 })) as RowSpec[])
      : []),
  ];
}

function runRow(spec: RowSpec): Promise<Row> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'server-process.ts'), {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, BENCH_ROW: JSON.stringify(spec), BENCH_TIMING: JSON.stringify(timing) },
    });
    child.on('message', (message: { kind: 'row'; row: Row } | { kind: 'error'; error: string }) => {
      if (message.kind === 'row') resolve(message.row);
      else reject(new Error(message.error));
    });
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`bench server process exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  for (const n of sizes) {
    const only = process.env.BENCH_ROWS?.split(',');
    for (const spec of specsFor(n).filter((candidate) => !only || only.includes(candidate.transport))) {
      const row = await runRow(spec);
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  fillRatios(rows);
  const results = path.resolve(import.meta.dirname, '../results');
  fs.mkdirSync(results, { recursive: true });
  fs.writeFileSync(path.join(results, 'fanout.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const context = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    load: os.loadavg().map((value) => value.toFixed(2)).join(' '),
    minutes: ((Date.now() - started) / 60_000).toFixed(1),
    timing,
  };
  const table = renderTable(rows, context);
  fs.writeFileSync(path.join(results, 'fanout.md'), table);
  console.log(`\n${table}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

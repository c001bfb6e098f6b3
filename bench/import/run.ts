/**
 * Import throughput: 10,000 generated rows (new demo playlists, with a few repeats and bad rows)
 * on PGlite, the demo catalog at zero latency, two importProgress subscribers. Prints rows per
 * second, total time and progress messages per subscriber; writes bench/results/import.json.
 * BENCH_IMPORT_ROWS changes the row count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { loadConfig } from '~/server/config';
import type { Envelope } from '~/server/events/catalog';
import { importerFor } from '~/server/imports/importer';
import { createRuntime } from '~/server/runtime';
import { benchWorkspace } from '../support/bench-workspace';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every 50th row repeats an earlier playlist, every 100th is not a playlist at all. */
function generateCsv(count: number): { csv: string; expected: { created: number; duplicates: number; failed: number } } {
  const lines = ['url,name,tags'];
  const expected = { created: 0, duplicates: 0, failed: 0 };
  let next = 1;
  for (let row = 1; row <= count; row++) {
    if (row % 100 === 0) {
      lines.push(`not a playlist ${row},,`);
      expected.failed++;
    } else if (row % 50 === 0) {
      lines.push(`spotify:playlist:DemoPlaylist${String(Math.max(1, next - 7)).padStart(10, '0')},,`);
      expected.duplicates++;
    } else {
      lines.push(`https://open.spotify.com/playlist/DemoPlaylist${String(next++).padStart(10, '0')},Bench ${row},bench|generated`);
      expected.created++;
    }
  }
  return { csv: lines.join('\n'), expected };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-import-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', DEMO_SEED_PLAYLISTS: '0', LOG_LEVEL: 'warn' });
  const runtime = await createRuntime({ ...config, DATABASE_URL: undefined });
  try {
    const { caller } = await benchWorkspace(runtime);
    const context = createContextFactory(runtime)({ caller });
    const subscribers = await Promise.all(
      [0, 1].map(async (index) => {
        let lastTenth = 0;
        const controller = new AbortController();
        const received = { progress: 0, finished: null as Envelope<'bulk_import_finished'> | null };
        const iterable = await createCaller(context, { signal: controller.signal }).importProgress();
        const done = (async () => {
          try {
            for await (const message of iterable) {
              const data = (Array.isArray(message) ? message[1] : message) as { kind: string; event?: Envelope; events?: Envelope[] };
              for (const event of data.kind === 'event' ? [data.event!] : data.kind === 'batch' ? data.events! : []) {
                if (event.type === 'bulk_import_progress') {
                  received.progress++;
                  const tenth = Math.floor((event.data.processed / rows) * 10);
                  if (index === 0 && tenth > lastTenth) {
                    lastTenth = tenth;
                    console.log(`  ${event.data.processed}/${rows} rows, ${event.data.rowsPerSecond} rows/s, ETA ${event.data.etaSeconds ?? '?'} s`);
                  }
                }
                if (event.type === 'bulk_import_finished') received.finished = event;
              }
            }
          } catch (error) {
            if (!controller.signal.aborted) throw error;
          }
        })();
        return { received, stop: () => (controller.abort(), done) };
      }),
    );

    const { csv, expected } = generateCsv(rows);
    const started = performance.now();
    const { importId } = await createCaller(context).imports.start({ csv, filename: 'bench.csv' });
    const accepted = performance.now();
    await importerFor(runtime).idle();
    const finishedAt = performance.now();
    // Let the subscribers' last conflated progress message through.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all(subscribers.map((s) => s.stop()));

    const summary = await createCaller(context).imports.get({ importId });
    const totalSeconds = (finishedAt - started) / 1000;
    const result = {
      rows,
      engine: 'pglite',
      demoLatencyMs: 0,
      startMs: Math.round(accepted - started),
      totalSeconds: Math.round(totalSeconds * 100) / 100,
      rowsPerSecond: Math.round((rows / totalSeconds) * 10) / 10,
      counters: { created: summary.created, duplicates: summary.duplicates, failed: summary.failed, processed: summary.processed },
      expected,
      progressMessagesPerSubscriber: subscribers.map((s) => s.received.progress),
      progressMessagesPerSecondPerSubscriber: subscribers.map((s) => Math.round((s.received.progress / totalSeconds) * 10) / 10),
      finishedDelivered: subscribers.map((s) => s.received.finished?.data.status ?? null),
      machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((n) => Math.round(n * 10) / 10) },
      at: new Date().toISOString(),
    };
    console.log(`import bench: ${rows} rows in ${result.totalSeconds} s = ${result.rowsPerSecond} rows/s (imports.start answered in ${result.startMs} ms)`);
    console.log(`  created ${summary.created}, duplicates ${summary.duplicates}, failed ${summary.failed} (expected ${JSON.stringify(expected)})`);
    console.log(`  progress messages per subscriber: ${result.progressMessagesPerSubscriber.join(', ')} (${result.progressMessagesPerSecondPerSubscriber.join(', ')} per second); finish delivered: ${result.finishedDelivered.join(', ')}`);
    fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench/results/import.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

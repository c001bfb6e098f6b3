/**
 * Import throughput, both stages: 10,000 generated rows (9,800 new demo playlists, 100 repeats,
 * 100 bad rows), the demo catalog at zero latency, the worker in process with its default
 * settings (enrichment and fetch loops), on PGlite (and on Postgres too when DATABASE_URL is set).
 *
 * Reports: intake rows per second (every row's outcome recorded), seconds until every playlist is
 * fetched with its tracks (the import finished), tracks written per second, progress messages per
 * importProgress subscriber per second, and during the import the p50/p99 of a playlists.list
 * query issued every 200 ms and of emit-to-receive on a jobStatus subscriber (envelope `at`, the
 * writing transaction's time, to arrival). Writes bench/results/import.json.
 * BENCH_IMPORT_ROWS changes the row count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, sql } from 'drizzle-orm';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { loadConfig, type Config } from '~/server/config';
import { imports, playlistTracks, tracks } from '~/server/db/schema';
import { startEnrichmentServices } from '~/server/enrichment/enrichment-services';
import type { Envelope } from '~/server/events/catalog';
import { importerFor } from '~/server/imports/importer';
import { createRuntime } from '~/server/runtime';
import { eventsOf, unwrap } from '../../tests/support/iterate';
import { createPostgresDatabase } from '../../tests/support/runtime';
import { benchWorkspace } from '../support/bench-workspace';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
/** The probe asks for the first page of this many playlists, as a table would; 0 asks for every playlist. */
const listLimit = Number(process.env.BENCH_LIST_LIMIT ?? 100);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every 50th row repeats an earlier playlist, every 100th is not a playlist at all. */
function generateCsv(total: number): { csv: string; expected: { created: number; duplicates: number; failed: number } } {
  const lines = ['url,name,tags'];
  const expected = { created: 0, duplicates: 0, failed: 0 };
  let next = 1;
  for (let row = 1; row <= total; row++) {
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

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : null);
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? null };
}

async function runOn(engine: 'pglite' | 'postgres', config: Config) {
  const runtime = await createRuntime(config);
  const services = startEnrichmentServices(runtime, { worker: true, pollers: false });
  try {
    const { caller } = await benchWorkspace(runtime);
    const context = createContextFactory(runtime)({ caller });
    const controller = new AbortController();
    const subscribe = async (call: (c: ReturnType<typeof createCaller>) => Promise<AsyncIterable<unknown>>, onEvent: (event: Envelope, at: number) => void) => {
      const iterable = await call(createCaller(context, { signal: controller.signal }));
      return (async () => {
        try {
          for await (const message of iterable) {
            const now = Date.now();
            for (const event of eventsOf(unwrap(message))) onEvent(event, now);
          }
        } catch (error) {
          if (!controller.signal.aborted) throw error;
        }
      })();
    };

    const progress = [0, 1].map(() => ({ messages: 0, last: null as Envelope<'bulk_import_progress'> | null, finished: null as Envelope<'bulk_import_finished'> | null }));
    let lastTenth = 0;
    const readers = progress.map((received, index) =>
      subscribe(
        (c) => c.importProgress(),
        (event) => {
          if (event.type === 'bulk_import_finished') received.finished = event;
          if (event.type !== 'bulk_import_progress') return;
          received.messages++;
          received.last = event;
          const tenth = Math.floor(((event.data.processed + event.data.fetched + event.data.fetchFailed) / (rows * 2)) * 10);
          if (index === 0 && tenth > lastTenth) {
            lastTenth = tenth;
            const d = event.data;
            console.log(`  [${engine}] rows ${d.processed}/${rows} (${d.rowsPerSecond}/s), fetched ${d.fetched}+${d.fetchFailed}/${d.toFetch} (${d.fetchesPerSecond}/s), ETA ${d.etaSeconds ?? '?'} s`);
          }
        },
      ),
    );
    const jobLatency: number[] = [];
    let measuring = false;
    readers.push(
      subscribe(
        (c) => c.jobStatus(),
        (event, at) => {
          if (measuring) jobLatency.push(at - Date.parse(event.at));
        },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { csv, expected } = generateCsv(rows);
    const started = performance.now();
    measuring = true;
    const { importId } = await createCaller(context).imports.start({ csv, filename: 'bench.csv' });
    const accepted = performance.now();

    // The UI's query, every 200 ms while the import runs.
    const listLatency: number[] = [];
    let listing = true;
    const listCaller = createCaller(context);
    const list = () => listCaller.playlists.list(listLimit > 0 ? { limit: listLimit } : undefined);
    const lister = (async () => {
      while (listing) {
        const t = performance.now();
        await list();
        listLatency.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 200 - (performance.now() - t))));
      }
    })();

    let readAt: number | null = null;
    for (;;) {
      const [row] = await runtime.db.select().from(imports).where(eq(imports.id, importId));
      if (row?.rowsReadAt && readAt === null) readAt = performance.now();
      if (row && row.status !== 'queued' && row.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const finishedAt = performance.now();
    measuring = false;
    // Enrichment keeps running beside the import: how far it got by the time the last playlist was fetched.
    const enrichedDuring = await runtime.db
      .execute(sql`select count(*) filter (where status = 'completed')::int as completed, count(*)::int as queued from enrichment_jobs where kind = 'enrich'`)
      .then((r) => (r as unknown as { rows: { completed: number; queued: number }[] }).rows[0]!);
    listing = false;
    await lister;
    // Let the subscribers' last conflated progress message through.
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await Promise.all(readers);

    const summary = await createCaller(context).imports.get({ importId });
    // For reference, with nothing else running: what the unpaged list of every playlist costs by itself.
    await services.stop();
    const fullList: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await listCaller.playlists.list();
      fullList.push(performance.now() - t);
    }
    const [memberships] = await runtime.db.select({ n: count() }).from(playlistTracks);
    const [trackRows] = await runtime.db.select({ n: count() }).from(tracks);
    const [enrichJobs] = await runtime.db.execute(sql`select count(*)::int as n from enrichment_jobs where kind = 'enrich'`).then((r) => (r as unknown as { rows: { n: number }[] }).rows);
    const totalSeconds = (finishedAt - started) / 1000;
    const intakeSeconds = ((readAt ?? finishedAt) - started) / 1000;
    const result = {
      engine,
      rows,
      demoLatencyMs: 0,
      worker: { enrichmentConcurrency: config.WORKER_CONCURRENCY, fetchConcurrency: config.FETCH_CONCURRENCY, fetchBatchSize: config.FETCH_BATCH_SIZE, fetchRequestsPerSecond: config.FETCH_REQUESTS_PER_SECOND },
      startMs: Math.round(accepted - started),
      intakeSeconds: round(intakeSeconds, 2),
      intakeRowsPerSecond: Math.round(rows / intakeSeconds),
      allFetchedSeconds: round(totalSeconds, 2),
      fetchesPerSecond: Math.round((summary.fetched + summary.fetchFailed) / totalSeconds),
      tracksWrittenPerSecond: Math.round(Number(memberships!.n) / totalSeconds),
      trackRows: { memberships: Number(memberships!.n), uniqueTracks: Number(trackRows!.n) },
      enrichmentJobsQueued: enrichJobs?.n ?? null,
      enrichmentJobsCompletedDuringImport: enrichedDuring.completed,
      counters: { processed: summary.processed, created: summary.created, duplicates: summary.duplicates, failed: summary.failed, toFetch: summary.toFetch, fetched: summary.fetched, fetchFailed: summary.fetchFailed },
      expected,
      progressMessagesPerSubscriber: progress.map((p) => p.messages),
      progressMessagesPerSecondPerSubscriber: progress.map((p) => round(p.messages / totalSeconds)),
      finalProgressDelivered: progress.map((p) => p.last?.data.fetched === summary.fetched && p.last?.data.processed === summary.processed),
      finishedDelivered: progress.map((p) => p.finished?.data.status ?? null),
      playlistsListMs: { limit: listLimit || null, ...mapValues(percentiles(listLatency), (v) => (v === null ? null : round(v))) },
      playlistsListAllIdleMs: mapValues(percentiles(fullList), (v) => (v === null ? null : round(v))),
      jobStatusEmitToReceiveMs: percentiles(jobLatency),
    };
    console.log(
      `[${engine}] intake ${rows} rows in ${result.intakeSeconds} s = ${result.intakeRowsPerSecond} rows/s; all ${summary.fetched} playlists fetched in ${result.allFetchedSeconds} s ` +
        `(${result.fetchesPerSecond}/s, ${result.tracksWrittenPerSecond} tracks/s); playlists.list(${listLimit ? `limit ${listLimit}` : 'all'}) p50 ${result.playlistsListMs.p50} ms p99 ${result.playlistsListMs.p99} ms ` +
        `(all ${summary.created} playlists, idle: p50 ${result.playlistsListAllIdleMs.p50} ms); ` +
        `jobStatus emit-to-receive p50 ${result.jobStatusEmitToReceiveMs.p50} ms p99 ${result.jobStatusEmitToReceiveMs.p99} ms; progress ${result.progressMessagesPerSecondPerSubscriber.join(', ')} msg/s per subscriber`,
    );
    return result;
  } finally {
    await importerFor(runtime).stop();
    await services.stop();
    await runtime.close();
  }
}

function mapValues<T extends object, U>(object: T, f: (value: T[keyof T]) => U): { [K in keyof T]: U } {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, f(value as T[keyof T])])) as { [K in keyof T]: U };
}


async function main() {
  const base = { ...process.env, DEMO_LATENCY_MS: '0', DEMO_FAILURE_RATE: '0', DEMO_SEED_PLAYLISTS: '0', LOG_LEVEL: 'warn', FOLLOWER_POLL_MS: '0', ANALYTICS_REFRESH_MS: '0' };
  const results = [];
  // BENCH_ENGINES=postgres runs only that one.
  const engines = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');
  if (engines.includes('pglite')) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-import-'));
    try {
      // DATABASE_URL (if set) is for the Postgres run below: this one is PGlite.
      results.push(await runOn('pglite', { ...loadConfig({ ...base, DATA_DIR: dataDir }), DATABASE_URL: undefined }));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (process.env.DATABASE_URL && engines.includes('postgres')) {
    const database = await createPostgresDatabase(process.env.DATABASE_URL, 'ln_bench_import');
    try {
      results.push(await runOn('postgres', loadConfig({ ...base, DATABASE_URL: database.url })));
    } finally {
      await database.drop();
    }
  }
  const report = {
    command: 'npm run bench:import',
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((n) => round(n)) },
    at: new Date().toISOString(),
    results,
  };
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/import.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

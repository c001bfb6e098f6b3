/**
 * The track explorer at catalogue scale: 100,000 tracks across 2,000 playlists (generate.ts), on
 * PGlite, and on Postgres too when DATABASE_URL or TEST_DATABASE_URL is set.
 *
 * Reports, per engine:
 * - the time to build the data set;
 * - p50/p95 of five typical explorer pages (filter + sort, 100 rows with playlists and tags,
 *   through `tracks.explore` as a client calls it), of a deep page (page 50 of the default sort,
 *   by cursor), and of `tracks.exploreCount` for each filter;
 * - the CSV export of every track (export-tracks.ts, as the route streams it): seconds, rows/s,
 *   and growth of RSS and heap over the run, sampled every 20 ms;
 * - a live change: from the transaction that changes a track (applyTrackChanges, the worker's
 *   own write) to a client holding the re-read row: the event through `trackExplorer`, then
 *   `tracks.explore` with `trackIds`. A UI adds its own throttle (250 ms) on top.
 *
 * Targets (reported, never asserted): explorer p95 <= 150 ms on PGlite; export >= 20,000 rows/s
 * with RSS growth < 50 MB. Writes bench/results/explorer.json.
 * BENCH_EXPLORER_TRACKS / BENCH_EXPLORER_PLAYLISTS / BENCH_EXPLORER_RUNS change the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { loadConfig, type Config } from '~/server/config';
import { rows } from '~/server/db/database';
import { tracks } from '~/server/db/schema';
import { createRuntime } from '~/server/runtime';
import { applyTrackChanges } from '~/server/tracks/track-transitions';
import type { ExplorerFilter, ExplorerSort } from '~/server/tracks/explorer-filter';
import { exportTracksCsv } from '~/server/tracks/export-tracks';
import { eventsOf, unwrap } from '../../tests/support/iterate';
import { createPostgresDatabase, testEnv } from '../../tests/support/runtime';
import { benchWorkspace } from '../support/bench-workspace';
import { defaultSize, generateExplorerData } from './generate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const size = {
  ...defaultSize,
  tracks: Number(process.env.BENCH_EXPLORER_TRACKS ?? defaultSize.tracks),
  playlists: Number(process.env.BENCH_EXPLORER_PLAYLISTS ?? defaultSize.playlists),
};
const runs = Number(process.env.BENCH_EXPLORER_RUNS ?? 40);
const liveChanges = 50;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / (1 << 20));

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
  return { n: sorted.length, p50: at(50), p95: at(95), max: round(sorted.at(-1) ?? NaN) };
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await work();
  samples.push(performance.now() - start);
  return value;
}

async function runOn(engine: 'pglite' | 'postgres', config: Config) {
  const runtime = await createRuntime(config);
  try {
    const { workspaceId, caller } = await benchWorkspace(runtime);
    const built = performance.now();
    await generateExplorerData(runtime.db, workspaceId, size);
    const buildSeconds = round((performance.now() - built) / 1000, 2);
    const [counts] = await rows<{ tracks: number; memberships: number; tagged: number }>(
      runtime.db,
      sql`select (select count(*)::int from tracks where workspace_id = ${workspaceId}) as tracks,
        (select count(*)::int from playlist_tracks where workspace_id = ${workspaceId}) as memberships,
        (select count(distinct track_id)::int from track_tags where workspace_id = ${workspaceId}) as tagged`,
    );
    console.log(`[${engine}] built ${counts!.tracks} tracks, ${counts!.memberships} memberships, ${counts!.tagged} tagged in ${buildSeconds} s`);

    const context = createContextFactory(runtime)({ caller });
    const api = createCaller(context);

    // Parameters a person would pick: a mid-sized label, three playlists, last week, a tag.
    const [label] = await rows<{ label: string; n: number }>(
      runtime.db,
      sql`select label, count(*)::int as n from tracks where workspace_id = ${workspaceId} and label <> '' group by label order by n desc offset 20 limit 1`,
    );
    const week = new Date(Date.now() - 7 * 86_400_000);
    week.setUTCDate(week.getUTCDate() - ((week.getUTCDay() + 6) % 7));
    const queries: { name: string; filter: ExplorerFilter; sort: ExplorerSort }[] = [
      { name: 'default: first seen, newest first', filter: {}, sort: { field: 'firstSeenAt', dir: 'desc' } },
      { name: 'search "love", most streamed first', filter: { q: 'love' }, sort: { field: 'streams', dir: 'desc' } },
      { name: `label "${label!.label}" (${label!.n} tracks), completed, by name`, filter: { labels: [label!.label], statuses: ['completed'] }, sort: { field: 'name', dir: 'asc' } },
      { name: 'three playlists, with credits, most popular first', filter: { playlistIds: ['bpl7', 'bpl512', 'bpl1999'], hasCredits: true }, sort: { field: 'popularity', dir: 'desc' } },
      { name: 'first seen last week, no label, newest release first', filter: { firstSeenWeek: week.toISOString().slice(0, 10), noLabel: true }, sort: { field: 'releaseDate', dir: 'desc' } },
      { name: 'tagged, streams 1M+, by artist', filter: { tagIds: ['btag3'], streamsMin: 1_000_000 }, sort: { field: 'artist', dir: 'asc' } },
    ];
    const queryResults = [];
    for (const query of queries) {
      const explore: number[] = [];
      const countSamples: number[] = [];
      let found = 0;
      let matching = 0;
      for (let i = 0; i < runs + 3; i++) {
        const page = await timed(i < 3 ? [] : explore, () => api.tracks.explore({ filter: query.filter, sort: query.sort, limit: 100 }));
        found = page.rows.length;
        matching = (await timed(i < 3 ? [] : countSamples, () => api.tracks.exploreCount({ filter: query.filter }))).count;
      }
      queryResults.push({ name: query.name, filter: query.filter, sort: query.sort, rows: found, matching, exploreMs: percentiles(explore), countMs: percentiles(countSamples) });
      console.log(`[${engine}] ${query.name}: ${matching} match; explore p50 ${percentiles(explore).p50} p95 ${percentiles(explore).p95} ms; count p50 ${percentiles(countSamples).p50} p95 ${percentiles(countSamples).p95} ms`);
    }

    // Page 50 of the default sort, reached by cursor: a keyset page costs what the first one does.
    let cursor: string | null = null;
    for (let i = 0; i < 49; i++) cursor = (await api.tracks.explore({ cursor, limit: 100 })).nextCursor;
    const deep: number[] = [];
    for (let i = 0; i < runs + 3; i++) await timed(i < 3 ? [] : deep, () => api.tracks.explore({ cursor, limit: 100 }));
    console.log(`[${engine}] page 50 by cursor: p50 ${percentiles(deep).p50} p95 ${percentiles(deep).p95} ms`);

    // The export of every track, as the route streams it (the bytes are counted, not kept).
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    const heapBefore = process.memoryUsage().heapUsed;
    let rssPeak = rssBefore;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      rssPeak = Math.max(rssPeak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
    }, 20);
    const cpuBefore = process.cpuUsage();
    const exportStart = performance.now();
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    for await (const chunk of exportTracksCsv(runtime.db, workspaceId, {})) {
      chunks++;
      bytes += Buffer.byteLength(chunk);
      for (let at = chunk.indexOf('\n'); at !== -1; at = chunk.indexOf('\n', at + 1)) lines++;
    }
    const exportSeconds = (performance.now() - exportStart) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const exported = {
      rows: lines - 1, // less the header (no cell of ours holds a line break)
      chunks,
      seconds: round(exportSeconds, 2),
      rowsPerSecond: Math.round((lines - 1) / exportSeconds),
      // This process's CPU time (PGlite runs in it): what the export costs, apart from waiting for a shared CPU.
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      megabytes: mb(bytes),
      rssGrowthMB: mb(rssPeak - rssBefore),
      heapGrowthMB: mb(heapPeak - heapBefore),
    };
    console.log(`[${engine}] export: ${JSON.stringify(exported)}`);

    // A live change, from the write to the re-read row in the client's hands.
    const filter: ExplorerFilter = { statuses: ['pending'] };
    const pending = await runtime.db
      .select({ id: tracks.id })
      .from(tracks)
      .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.enrichmentStatus, 'pending')))
      .limit(liveChanges);
    const start = await api.tracks.explore({ filter, limit: 100 });
    const controller = new AbortController();
    const waiters = new Map<string, () => void>();
    const stream = await createCaller(context, { signal: controller.signal }).trackExplorer({ filter, lastEventId: start.position });
    const reading = (async () => {
      try {
        for await (const message of stream) for (const event of eventsOf(unwrap(message))) if ('trackId' in event.data) waiters.get(event.data.trackId as string)?.();
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    })();
    const live: number[] = [];
    for (const { id } of pending) {
      const arrived = new Promise<void>((resolve) => waiters.set(id, resolve));
      const t0 = performance.now();
      await runtime.log.transaction((tx) => applyTrackChanges(tx, { workspaceId, jobId: null, playlistId: null }, [{ trackId: id, to: 'enriching' }]));
      await arrived;
      const reread = await api.tracks.explore({ filter, trackIds: [id] });
      live.push(performance.now() - t0);
      if (reread.rows.length !== 0) throw new Error(`track ${id} still reads as pending after the change`);
      waiters.delete(id);
    }
    controller.abort();
    await reading;
    console.log(`[${engine}] change -> re-read row: ${JSON.stringify(percentiles(live))} ms`);

    return {
      engine,
      data: { ...counts, playlists: size.playlists, buildSeconds },
      queries: queryResults,
      deepPageMs: percentiles(deep),
      export: exported,
      changeToRereadMs: percentiles(live),
    };
  } finally {
    await runtime.close();
  }
}

const loadAtStart = os.loadavg().map((n) => round(n, 2));

async function main() {
  const base = { ...testEnv, LOG_LEVEL: 'warn', DEMO_SEED_PLAYLISTS: '0' };
  const results = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-explorer-'));
  try {
    results.push(await runOn('pglite', { ...loadConfig({ ...base, DATA_DIR: dataDir }), DATABASE_URL: undefined }));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (postgresUrl) {
    const database = await createPostgresDatabase(postgresUrl, 'ln_bench_explorer');
    try {
      results.push(await runOn('postgres', loadConfig({ ...base, DATABASE_URL: database.url })));
    } finally {
      await database.drop();
    }
  }
  const report = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg().map((n) => round(n, 2)) },
    size: { ...size, runs },
    targets: { exploreP95MsPglite: 150, exportRowsPerSecond: 20_000, exportRssGrowthMB: 50 },
    results,
  };
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/explorer.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote bench/results/explorer.json');
}

await main();
process.exit(0);

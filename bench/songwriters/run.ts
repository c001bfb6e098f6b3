/**
 * Songwriter scores at catalogue scale: 10,000 songwriters credited on 100,000 tracks across 2,000
 * playlists (generate.ts), on PGlite, and on Postgres too when DATABASE_URL or TEST_DATABASE_URL is set.
 *
 * Reports, per engine:
 * - the time to build the data set;
 * - rescoreWorkspace over every songwriter: the first run (every score changes, so every
 *   songwriter gets a songwriter_score_changed event) and later runs (nothing changes, no event);
 * - score updates reaching an open contacts page: from the end of the transaction that credits a
 *   newly enriched track to a songwriter and rescores them (as the enrichment batch's hook does;
 *   the time includes its COMMIT) to songwriter_score_changed arriving on a `leads` subscription,
 *   read through createCaller as the page's stream is. p50/p99 over BENCH_SONGWRITERS_UPDATES (200).
 *
 * Target (reported, never asserted): the workspace rescore in <= 5 s on PGlite.
 * Writes bench/results/songwriters.json. BENCH_SONGWRITERS_WRITERS / _TRACKS / _PLAYLISTS change the size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createCaller } from '~/server/api/root';
import { createContextFactory } from '~/server/api/trpc';
import { loadConfig, type Config } from '~/server/config';
import { rows } from '~/server/db/database';
import { songwriterCredits, tracks } from '~/server/db/schema';
import { createRuntime } from '~/server/runtime';
import { rescoreSongwriters, rescoreWorkspace } from '~/server/songwriters/rescore';
import { eventsOf, unwrap } from '../../tests/support/iterate';
import { createPostgresDatabase, testEnv } from '../../tests/support/runtime';
import { benchWorkspace } from '../support/bench-workspace';
import { defaultSize, generateSongwriterData } from './generate';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const size = {
  ...defaultSize,
  songwriters: Number(process.env.BENCH_SONGWRITERS_WRITERS ?? defaultSize.songwriters),
  tracks: Number(process.env.BENCH_SONGWRITERS_TRACKS ?? defaultSize.tracks),
  playlists: Number(process.env.BENCH_SONGWRITERS_PLAYLISTS ?? defaultSize.playlists),
};
const updates = Number(process.env.BENCH_SONGWRITERS_UPDATES ?? 200);
const steadyRuns = 3;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN);
  return { n: sorted.length, p50: at(50), p99: at(99), max: round(sorted.at(-1) ?? NaN) };
}

async function runOn(engine: 'pglite' | 'postgres', config: Config) {
  const runtime = await createRuntime(config);
  try {
    const { workspaceId, caller } = await benchWorkspace(runtime);
    const built = performance.now();
    await generateSongwriterData(runtime.db, workspaceId, size);
    const buildSeconds = round((performance.now() - built) / 1000, 2);
    const [counts] = await rows<{ songwriters: number; credited: number; tracks: number; credits: number; memberships: number; early: number }>(
      runtime.db,
      sql`select (select count(*)::int from songwriters where workspace_id = ${workspaceId}) as songwriters,
        (select count(distinct songwriter_id)::int from songwriter_credits where workspace_id = ${workspaceId}) as credited,
        (select count(*)::int from tracks where workspace_id = ${workspaceId}) as tracks,
        (select count(*)::int from songwriter_credits where workspace_id = ${workspaceId}) as credits,
        (select count(*)::int from playlist_tracks where workspace_id = ${workspaceId}) as memberships,
        (select count(*)::int from playlists where workspace_id = ${workspaceId} and (name like 'Fresh Finds%' or name like 'Lorem%')) as early`,
    );
    console.log(`[${engine}] built ${JSON.stringify(counts)} in ${buildSeconds} s`);

    const first = await rescoreWorkspace(runtime, workspaceId);
    const [events] = await rows<{ n: number }>(runtime.db, sql`select count(*)::int as n from events where workspace_id = ${workspaceId} and type = 'songwriter_score_changed'`);
    console.log(`[${engine}] rescore, every score changing: ${first.songwriters} songwriters in ${first.ms} ms (${events!.n} events)`);
    const steady: number[] = [];
    for (let i = 0; i < steadyRuns; i++) steady.push((await rescoreWorkspace(runtime, workspaceId)).ms);
    console.log(`[${engine}] rescore, nothing changing: ${steady.join(', ')} ms`);
    const [spread] = await rows<{ scored: number; min: number; avg: number; max: number; at_cap: number }>(
      runtime.db,
      sql`select count(*) filter (where score_breakdown is not null)::int as scored, min(score)::float8 as min, round(avg(score)::numeric, 2)::float8 as avg,
        max(score)::float8 as max, count(*) filter (where score >= 10)::int as at_cap from songwriters where workspace_id = ${workspaceId}`,
    );

    // Score updates reaching an open contacts page.
    const context = createContextFactory(runtime)({ caller });
    const controller = new AbortController();
    const stream = await createCaller(context, { signal: controller.signal }).leads({});
    let snapshot: () => void = () => {};
    const attached = new Promise<void>((resolve) => (snapshot = resolve));
    const waiters = new Map<string, () => void>();
    const reading = (async () => {
      try {
        for await (const message of stream) {
          const body = unwrap(message);
          if (body.kind === 'snapshot') snapshot();
          for (const event of eventsOf(body)) if (event.type === 'songwriter_score_changed') waiters.get(event.keys.songwriterId!)?.();
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    })();
    await attached;
    const targets = await rows<{ id: string }>(runtime.db, sql`select id from songwriters where workspace_id = ${workspaceId} order by id limit ${updates}`);
    const live: number[] = [];
    for (const [n, { id }] of targets.entries()) {
      const arrived = new Promise<void>((resolve) => waiters.set(id, resolve));
      let t0 = 0;
      await runtime.log.transaction(async (tx) => {
        const trackId = `bench-live-${n}`;
        await tx.db.insert(tracks).values({ id: trackId, workspaceId, spotifyId: trackId, name: `Live ${n}`, artist: 'Live Artist', label: 'DistroKid', enrichmentStatus: 'completed' });
        await tx.db.insert(songwriterCredits).values({ workspaceId, trackId, nameKey: `live ${n}`, songwriterId: id, creditedName: 'Live', source: 'mlc' });
        await rescoreSongwriters(tx, workspaceId, [id]);
        t0 = performance.now();
      });
      await arrived;
      live.push(performance.now() - t0);
      waiters.delete(id);
    }
    controller.abort();
    await reading;
    console.log(`[${engine}] enrichment commit -> score on the leads stream: ${JSON.stringify(percentiles(live))} ms`);

    return {
      engine,
      data: { ...counts, playlists: size.playlists, buildSeconds },
      rescoreWorkspace: { everyScoreChangingMs: first.ms, songwriters: first.songwriters, events: events!.n, nothingChangingMs: steady },
      scores: spread,
      commitToLeadsStreamMs: percentiles(live),
    };
  } finally {
    await runtime.close();
  }
}

const loadAtStart = os.loadavg().map((n) => round(n, 2));

async function main() {
  const base = { ...testEnv, LOG_LEVEL: 'warn', DEMO_SEED_PLAYLISTS: '0' };
  const results = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-bench-songwriters-'));
  try {
    results.push(await runOn('pglite', { ...loadConfig({ ...base, DATA_DIR: dataDir }), DATABASE_URL: undefined }));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const postgresUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (postgresUrl) {
    const database = await createPostgresDatabase(postgresUrl, 'ln_bench_songwriters');
    try {
      results.push(await runOn('postgres', loadConfig({ ...base, DATABASE_URL: database.url })));
    } finally {
      await database.drop();
    }
  }
  const report = {
    when: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg().map((n) => round(n, 2)) },
    size: { ...size, updates },
    targets: { rescoreWorkspaceMsPglite: 5_000 },
    results,
  };
  fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results/songwriters.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote bench/results/songwriters.json');
}

await main();
process.exit(0);

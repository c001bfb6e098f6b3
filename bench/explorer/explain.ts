/**
 * Where an explorer query's time goes: builds the bench data set (generate.ts) on PGlite and
 * prints EXPLAIN ANALYZE of each query `tracks.explore` and `tracks.exploreCount` send for the
 * bench's typical filters, and the time of the outbox position read. For looking, not a figure:
 * `npx tsx bench/explorer/explain.ts` (BENCH_EXPLORER_TRACKS for a smaller set; with DATABASE_URL,
 * on a new database of that Postgres server instead).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { loadConfig } from '~/server/config';
import { rows } from '~/server/db/database';
import { createRuntime } from '~/server/runtime';
import { countExplorerTracks, exploreTracks } from '~/server/tracks/explorer-query';
import type { ExplorerFilter, ExplorerSort } from '~/server/tracks/explorer-filter';
import { createPostgresDatabase, testEnv } from '../../tests/support/runtime';
import { defaultSize, generateExplorerData } from './generate';
import { createWorkspace } from '../../tests/support/accounts';

function lastWeek(): string {
  const week = new Date(Date.now() - 7 * 86_400_000);
  week.setUTCDate(week.getUTCDate() - ((week.getUTCDay() + 6) % 7));
  return week.toISOString().slice(0, 10);
}

const size = { ...defaultSize, tracks: Number(process.env.BENCH_EXPLORER_TRACKS ?? defaultSize.tracks) };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-explain-'));
const postgres = process.env.DATABASE_URL ? await createPostgresDatabase(process.env.DATABASE_URL, 'ln_explain') : null;
const runtime = await createRuntime({ ...loadConfig({ ...testEnv, LOG_LEVEL: 'warn', DATA_DIR: dataDir }), DATABASE_URL: postgres?.url });
try {
  const workspaceId = await createWorkspace(runtime, 'Explain');
  await generateExplorerData(runtime.db, workspaceId, size);
  const db = runtime.db;
  const execute = db.execute.bind(db);
  let captured: SQL | null = null;
  (db as unknown as { execute: (q: SQL) => unknown }).execute = (q: SQL) => {
    captured = q;
    return execute(q);
  };
  const cases: [string, ExplorerFilter, ExplorerSort | undefined][] = [
    ['default', {}, undefined],
    ['q love, streams desc', { q: 'love' }, { field: 'streams', dir: 'desc' }],
    ['label + completed, name asc', { labels: ['Records 20'], statuses: ['completed'] }, { field: 'name', dir: 'asc' }],
    ['playlists + credits, popularity desc', { playlistIds: ['bpl7', 'bpl512', 'bpl1999'], hasCredits: true }, { field: 'popularity', dir: 'desc' }],
    ['tag + streams, artist asc', { tagIds: ['btag3'], streamsMin: 1_000_000 }, { field: 'artist', dir: 'asc' }],
    ['last week, no label, release desc', { firstSeenWeek: lastWeek(), noLabel: true }, { field: 'releaseDate', dir: 'desc' }],
  ];
  for (const [name, filter, sort] of cases) {
    const started = performance.now();
    await exploreTracks(db, workspaceId, { filter, sort, limit: 100 });
    const wall = performance.now() - started;
    const plan = await rows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers) ${captured!}`);
    console.log(`\n=== ${name} (explore, ${wall.toFixed(1)} ms wall)\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    const countStarted = performance.now();
    await countExplorerTracks(db, workspaceId, filter);
    console.log(`--- count: ${(performance.now() - countStarted).toFixed(1)} ms wall`);
  }
  const positionStarted = performance.now();
  await runtime.log.positionFor(workspaceId);
  console.log(`\noutbox position: ${(performance.now() - positionStarted).toFixed(1)} ms`);
} finally {
  await runtime.close();
  await postgres?.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

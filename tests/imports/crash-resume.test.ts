/**
 * A server killed mid-import (SIGKILL, no shutdown hooks) finishes the import when it starts
 * again, whichever stage the kill hit: while the rows were read (intake resumes after its last
 * committed chunk) or while the playlists were fetched (the fetch jobs it held run again once
 * their leases expire). No row counted twice, no playlist added or fetched twice, exact counters.
 */
import fs from 'node:fs';
import { and, asc, count, countDistinct, eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import { openDatabase } from '~/server/db/database';
import { activity, enrichmentJobs, importRows, imports, playlists } from '~/server/db/schema';
import { createScriptClient } from '~/trpc/client';
import { waitFor } from '../support/iterate';
import { databaseDir } from '../support/runtime';
import { apiKeyOverHttp, signUpOverHttp } from '../support/http-accounts';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { demoId } from './support';

let server: ServerProcess | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  await server?.kill().catch(() => {});
  server = null;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = (dir: string, extra: Record<string, string> = {}) => ({
  DATA_DIR: dir,
  DEMO_FAILURE_RATE: '0',
  // The worker fetches (that is the second stage); its enrichment loops and the pollers stay off.
  WORKER_IN_SERVER: 'true',
  WORKER_CONCURRENCY: '0',
  WORKER_POLL_MS: '100',
  FOLLOWER_POLL_MS: '0',
  ANALYTICS_REFRESH_MS: '0',
  // A killed worker's fetch jobs, and a killed reader's import, are free again soon after the restart.
  JOB_LEASE_MS: '1500',
  JOB_SWEEP_INTERVAL_MS: '300',
  IMPORT_LEASE_MS: '3000',
  IMPORT_SWEEP_INTERVAL_MS: '250',
  ...extra,
});

async function readImport(dir: string) {
  const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    const db = handle.db;
    const [row] = await db.select().from(imports).orderBy(asc(imports.createdAt));
    const [tracked] = await db.select({ n: count(), distinct: countDistinct(playlists.spotifyId) }).from(playlists);
    const [outcomes] = await db.select({ n: count(), distinct: countDistinct(importRows.rowNumber) }).from(importRows).where(eq(importRows.importId, row!.id));
    const [fetches] = await db
      .select({ n: count(), distinct: countDistinct(enrichmentJobs.playlistId) })
      .from(enrichmentJobs)
      .where(eq(enrichmentJobs.kind, 'fetch'));
    const [enrichment] = await db
      .select({ n: count(), distinct: countDistinct(enrichmentJobs.playlistId) })
      .from(enrichmentJobs)
      .where(eq(enrichmentJobs.kind, 'enrich'));
    // One "added" row per playlist is written in the transaction that stores its fetch: two would be two fetches stored.
    const [added] = await db.select({ n: count(), distinct: countDistinct(activity.playlistId) }).from(activity).where(eq(activity.kind, 'playlist_added'));
    const [pending] = await db.select({ n: count() }).from(playlists).where(eq(playlists.fetchStatus, 'pending'));
    return { row: row!, playlists: tracked!, outcomes: outcomes!, fetches: fetches!, enrichment: enrichment!, added: added!, pending: Number(pending!.n) };
  } finally {
    await handle.close();
  }
}

async function startClient(url: string, apiKey: string) {
  return createScriptClient({ baseUrl: url, transport: 'ws', apiKey });
}

async function completed(client: Awaited<ReturnType<typeof startClient>>['client'], importId: string) {
  return waitFor(
    async () => {
      const current = await client.imports.get.query({ importId });
      return current.status === 'completed' ? current : null;
    },
    { timeoutMs: 120_000, what: 'the resumed import to complete' },
  );
}

test('SIGKILL while the rows are read, restart: intake resumes after its last committed chunk', { timeout: 180_000 }, async () => {
  dataDir = databaseDir('linernotes-import-crash-');
  // 20,000 rows in chunks of 5, so the kill lands mid-file: every 100th row a new playlist (200),
  // every 7th a repeat of an earlier one, the rest not playlists at all.
  const lines = ['url,name'];
  const expected = { created: 0, duplicates: 0, failed: 0 };
  for (let row = 1; row <= 20_000; row++) {
    if (row % 100 === 1) {
      lines.push(`${demoId(Math.ceil(row / 100))},new ${row}`);
      expected.created++;
    } else if (row % 7 === 0) {
      lines.push(`spotify:playlist:${demoId(Math.ceil(row / 100))},repeat`);
      expected.duplicates++;
    } else {
      lines.push(`bad row ${row},x`);
      expected.failed++;
    }
  }
  const crashEnv = env(dataDir, { DEMO_LATENCY_MS: '0', IMPORT_COMMIT_EVERY_ROWS: '5' });
  server = await startServerProcess(crashEnv);
  // The key lives in the database, so it still holds after the restart.
  const apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie);
  let { client, close } = await startClient(server.url, apiKey);
  const { importId } = await client.imports.start.mutate({ csv: lines.join('\n'), filename: 'crash.csv' });
  await waitFor(async () => (await client.imports.get.query({ importId })).processed >= 500, { timeoutMs: 60_000, what: '500 rows read' });
  close();
  await server.kill();
  server = null;

  const atCrash = await readImport(dataDir);
  expect(atCrash.row.status).toBe('running');
  expect(atCrash.row.rowsReadAt).toBeNull();
  expect(atCrash.row.lastRow).toBeGreaterThanOrEqual(500);
  expect(atCrash.row.lastRow).toBeLessThan(20_000);
  expect(atCrash.row.processed).toBe(atCrash.row.lastRow);
  expect(atCrash.outcomes).toEqual({ n: atCrash.row.lastRow, distinct: atCrash.row.lastRow });

  // The restarted server commits in the default chunks: where it resumes is the last chunk the
  // killed one committed, whatever the chunk size now, and the rest of the file reads in seconds.
  server = await startServerProcess({ ...crashEnv, IMPORT_COMMIT_EVERY_ROWS: '500' });
  ({ client, close } = await startClient(server.url, apiKey));
  const done = await completed(client, importId);
  expect(done).toMatchObject({ total: 20_000, processed: 20_000, lastRow: 20_000, ...expected, toFetch: 200, fetched: 200, fetchFailed: 0 });
  close();
  await server.stop();
  server = null;

  const after = await readImport(dataDir);
  expect(after.playlists).toEqual({ n: 200, distinct: 200 });
  expect(after.outcomes).toEqual({ n: 20_000, distinct: 20_000 });
  expect(after.fetches).toEqual({ n: 200, distinct: 200 });
  expect(after.added).toEqual({ n: 200, distinct: 200 });
  expect(after.pending).toBe(0);
});

test('SIGKILL while the playlists are fetched, restart: the fetches it held run again, none twice', { timeout: 180_000 }, async () => {
  dataDir = databaseDir('linernotes-import-crash-');
  // 120 rows: 100 new playlists, 10 repeats of earlier rows, 10 bad rows.
  const lines = ['url,name'];
  let next = 1;
  for (let row = 1; row <= 120; row++) {
    if (row % 12 === 6) lines.push(`spotify:playlist:${demoId(Math.max(1, next - 3))},repeat`);
    else if (row % 12 === 0) lines.push(`bad row ${row},x`);
    else lines.push(`${demoId(next++)},new ${row}`);
  }
  expect(next - 1).toBe(100);
  // Slow fetches, two at a time: reading takes a moment, fetching several seconds.
  const crashEnv = env(dataDir, { DEMO_LATENCY_MS: '40', FETCH_CONCURRENCY: '2', FETCH_BATCH_SIZE: '2' });
  server = await startServerProcess(crashEnv);
  const apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie);
  let { client, close } = await startClient(server.url, apiKey);
  const { importId } = await client.imports.start.mutate({ csv: lines.join('\n'), filename: 'crash.csv' });
  await waitFor(
    async () => {
      const current = await client.imports.get.query({ importId });
      return current.rowsReadAt !== null && current.fetched >= 20;
    },
    { timeoutMs: 60_000, what: 'every row read and 20 playlists fetched' },
  );
  close();
  await server.kill();
  server = null;

  const atCrash = await readImport(dataDir);
  expect(atCrash.row).toMatchObject({ status: 'running', processed: 120, lastRow: 120, toFetch: 100, duplicates: 10 });
  expect(atCrash.row.fetched).toBeGreaterThanOrEqual(20);
  expect(atCrash.row.fetched).toBeLessThan(100);
  expect(atCrash.pending).toBe(100 - atCrash.row.fetched);

  server = await startServerProcess(crashEnv);
  ({ client, close } = await startClient(server.url, apiKey));
  const done = await completed(client, importId);
  expect(done).toMatchObject({ total: 120, processed: 120, lastRow: 120, created: 100, duplicates: 10, failed: 10, toFetch: 100, fetched: 100, fetchFailed: 0 });
  const errors = await client.imports.errors.query({ importId });
  expect(errors.items.map((item) => item.rowNumber)).toEqual([12, 24, 36, 48, 60, 72, 84, 96, 108, 120]);
  close();
  await server.stop();
  server = null;

  const after = await readImport(dataDir);
  expect(after.playlists).toEqual({ n: 100, distinct: 100 });
  expect(after.outcomes).toEqual({ n: 120, distinct: 120 });
  expect(after.fetches).toEqual({ n: 100, distinct: 100 });
  // Each playlist's fetch was stored once: one "added" row and one enrichment job each.
  expect(after.added).toEqual({ n: 100, distinct: 100 });
  expect(after.enrichment).toEqual({ n: 100, distinct: 100 });
  expect(after.pending).toBe(0);
});

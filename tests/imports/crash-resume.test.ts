/**
 * A server killed mid-import (SIGKILL, no shutdown hooks) resumes the import from its last
 * committed row when it starts again: no duplicate playlists, no row counted twice, exact counters.
 */
import fs from 'node:fs';
import { asc, count, countDistinct, eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import { openDatabase } from '~/server/db/database';
import { importRows, imports, playlists } from '~/server/db/schema';
import { createScriptClient } from '~/trpc/client';
import { waitFor } from '../support/iterate';
import { tempDir } from '../support/runtime';
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

const env = (dir: string) => ({
  DATA_DIR: dir,
  // Slow enough adds that the kill lands mid-file; the enrichment worker and pollers stay off.
  DEMO_LATENCY_MS: '40',
  DEMO_FAILURE_RATE: '0',
  WORKER_IN_SERVER: 'false',
  FOLLOWER_POLL_MS: '0',
  ANALYTICS_REFRESH_MS: '0',
  IMPORT_COMMIT_EVERY_ROWS: '5',
});

async function readImport(dir: string) {
  const handle = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    const [row] = await handle.db.select().from(imports).orderBy(asc(imports.createdAt));
    const [tracked] = await handle.db.select({ n: count(), distinct: countDistinct(playlists.spotifyId) }).from(playlists);
    const [outcomes] = await handle.db.select({ n: count(), distinct: countDistinct(importRows.rowNumber) }).from(importRows).where(eq(importRows.importId, row!.id));
    return { row: row!, playlists: tracked!, outcomes: outcomes! };
  } finally {
    await handle.close();
  }
}

test('SIGKILL mid-import, restart: the import resumes after its last committed row', { timeout: 180_000 }, async () => {
  dataDir = tempDir('linernotes-import-crash-');
  // 120 rows: 100 new playlists, 10 repeats of earlier rows, 10 bad rows.
  const lines = ['url,name'];
  let next = 1;
  for (let row = 1; row <= 120; row++) {
    if (row % 12 === 6) lines.push(`spotify:playlist:${demoId(Math.max(1, next - 3))},repeat`);
    else if (row % 12 === 0) lines.push(`bad row ${row},x`);
    else lines.push(`${demoId(next++)},new ${row}`);
  }
  expect(next - 1).toBe(100);

  server = await startServerProcess(env(dataDir));
  // The key lives in the database, so it still holds after the restart.
  const apiKey = await apiKeyOverHttp(server.url, (await signUpOverHttp(server.url)).cookie);
  let { client, close } = createScriptClient({ baseUrl: server.url, transport: 'ws', apiKey });
  const { importId } = await client.imports.start.mutate({ csv: lines.join('\n'), filename: 'crash.csv' });
  await waitFor(async () => (await client.imports.get.query({ importId })).processed >= 20, { timeoutMs: 60_000, what: '20 rows done' });
  close();
  await server.kill();
  server = null;

  const atCrash = await readImport(dataDir);
  expect(atCrash.row.status).toBe('running');
  expect(atCrash.row.lastRow).toBeGreaterThanOrEqual(20);
  expect(atCrash.row.lastRow).toBeLessThan(120);
  expect(atCrash.row.processed).toBe(atCrash.row.lastRow);

  server = await startServerProcess(env(dataDir));
  ({ client, close } = createScriptClient({ baseUrl: server.url, transport: 'ws', apiKey }));
  const done = await waitFor(
    async () => {
      const current = await client.imports.get.query({ importId });
      return current.status === 'completed' ? current : null;
    },
    { timeoutMs: 120_000, what: 'the resumed import to complete' },
  );
  expect(done).toMatchObject({ total: 120, processed: 120, lastRow: 120, created: 100, duplicates: 10, failed: 10 });
  const errors = await client.imports.errors.query({ importId });
  expect(errors.items.map((item) => item.rowNumber)).toEqual([12, 24, 36, 48, 60, 72, 84, 96, 108, 120]);
  close();
  await server.stop();
  server = null;

  const after = await readImport(dataDir);
  expect(after.playlists).toEqual({ n: 100, distinct: 100 });
  expect(after.outcomes).toEqual({ n: 120, distinct: 120 });
});

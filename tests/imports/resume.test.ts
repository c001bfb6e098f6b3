/**
 * Resume in process, deterministically: the states a crash or a shutdown leaves behind, and what
 * the importer makes of them when it starts.
 */
import { and, eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import { importRows, imports } from '~/server/db/schema';
import { importerFor, startImporter } from '~/server/imports/importer';
import { addPlaylist } from '~/server/playlists/add-playlist';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import type { TestRuntime } from '../support/runtime';
import { demoId, importRuntime, rowOutcomes, waitForFinished } from './support';

let runtime: TestRuntime | undefined;
afterEach(() => runtime?.dispose());

/** An import as a process leaves it when it dies: running, with `lastRow` rows committed. */
async function interruptedImport(rt: TestRuntime, csv: string, lastRow: number) {
  const [row] = await rt.db
    .insert(imports)
    .values({ workspaceId: rt.workspaceId, csv, total: csv.trim().split('\n').length - 1, status: 'running', startedAt: new Date(), lastRow })
    .returning();
  return row!.id;
}

test('killed right after an add committed: the intent row makes it count as created, not duplicate', async () => {
  runtime = await importRuntime();
  const csv = ['url', demoId(1), demoId(2), demoId(3)].join('\n');
  const importId = await interruptedImport(runtime, csv, 0);
  // Row 1's intent was committed, then its add, then the process died before the outcome commit.
  await runtime.db.insert(importRows).values({ workspaceId: runtime.workspaceId, importId, rowNumber: 1, rawValue: `${demoId(1)},,`, outcome: 'created' });
  await addPlaylist(runtime, runtime.workspaceId, { url: demoId(1) });
  // A playlist that was tracked before, with no intent: a plain duplicate.
  await addPlaylist(runtime, runtime.workspaceId, { url: demoId(3) });

  const progress = await subscribe(runtime, (c) => c.importProgress({ importId }));
  await startImporter(runtime);
  const finished = await waitForFinished(progress, importId);
  expect(finished.data).toMatchObject({ status: 'completed', processed: 3, created: 2, duplicates: 1, failed: 0 });
  expect(await rowOutcomes(runtime, importId)).toEqual([
    { row: 1, outcome: 'created', reason: null },
    { row: 2, outcome: 'created', reason: null },
    { row: 3, outcome: 'duplicate', reason: 'already tracked in this workspace' },
  ]);
  const [first] = await runtime.db.select().from(importRows).where(and(eq(importRows.importId, importId), eq(importRows.rowNumber, 1)));
  expect(first!.playlistId).not.toBeNull();
  await progress.stop();
});

test('rows before last_row are not redone, but still count for duplicates in the file', async () => {
  runtime = await importRuntime();
  const csv = ['url', demoId(1), 'bad', demoId(1), demoId(2)].join('\n');
  const importId = await interruptedImport(runtime, csv, 2);
  await runtime.db.update(imports).set({ processed: 2, created: 1, failed: 1 }).where(eq(imports.id, importId));
  await startImporter(runtime);
  await importerFor(runtime).idle();
  expect(await callerFor(runtime).imports.get({ importId })).toMatchObject({ status: 'completed', processed: 4, created: 2, duplicates: 1, failed: 1 });
  expect((await rowOutcomes(runtime, importId)).map((r) => [r.row, r.outcome, r.reason])).toEqual([
    [3, 'duplicate', 'the same playlist as row 1'],
    [4, 'created', null],
  ]);
});

test('a clean shutdown leaves the import running; the next start finishes it', async () => {
  // Two fetches at a time: the shutdown lands while most playlists still wait to be fetched.
  runtime = await importRuntime({ env: { DEMO_LATENCY_MS: '30', IMPORT_COMMIT_EVERY_ROWS: '1', FETCH_CONCURRENCY: '2' } });
  const { importId } = await callerFor(runtime).imports.start({ csv: Array.from({ length: 60 }, (_, i) => demoId(i + 1)).join('\n') });
  await waitFor(async () => (await callerFor(runtime!).imports.get({ importId })).processed >= 3, { what: 'a few rows' });
  const { target, workspaceId } = runtime;
  await runtime.close();
  runtime = undefined;

  const reopened = await importRuntime({ config: target });
  try {
    const [stopped] = await reopened.db.select().from(imports).where(eq(imports.id, importId));
    expect(stopped!.status).toBe('running');
    expect(stopped!.lastRow).toBeGreaterThanOrEqual(3);
    // Reading is fast now; what the shutdown interrupts is the fetching.
    expect(stopped!.fetched).toBeLessThan(stopped!.toFetch);
    await startImporter(reopened);
    await importerFor(reopened).idle();
    // The reopened runtime makes a workspace of its own; the import belongs to the first one.
    expect(await callerFor(reopened, undefined, { workspaceId }).imports.get({ importId })).toMatchObject({ status: 'completed', processed: 60, created: 60, duplicates: 0 });
  } finally {
    await reopened.close();
  }
});

/**
 * The import end to end at procedure level: imports.start -> importer -> addPlaylist -> row
 * outcomes, counters, importProgress and activityFeed, on PGlite (and Postgres when configured).
 */
import { TRPCError } from '@trpc/server';
import fs from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { imports, playlists } from '~/server/db/schema';
import { addPlaylist } from '~/server/playlists/add-playlist';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, type TestRuntime } from '../support/runtime';
import { demoId, finishedEvent, fixture, importRuntime, importsSettled, rowOutcomes, samplePath, waitForFinished } from './support';

let runtime: TestRuntime | undefined;
afterEach(async () => {
  await runtime?.dispose();
  runtime = undefined;
});

describe.each(engines)('on %s', (engine) => {
  test('the sample file: exact counters, progress and finish through importProgress, activity for start and finish', async () => {
    runtime = await importRuntime({ engine });
    const progress = await subscribe(runtime, (c) => c.importProgress());
    const activity = await subscribe(runtime, (c) => c.activityFeed());
    await waitFor(() => progress.messages.length >= 1 && activity.messages.length >= 1, { what: 'snapshots' });

    const { importId } = await callerFor(runtime).imports.start({ csv: fs.readFileSync(samplePath, 'utf8'), filename: 'playlists.csv' });
    const finished = await waitForFinished(progress, importId, 60_000);

    expect(finished.data).toMatchObject({ importId, status: 'completed', total: 52, processed: 52, created: 46, duplicates: 2, failed: 4, error: null });
    const summary = await callerFor(runtime).imports.get({ importId });
    expect(summary).toMatchObject({ status: 'completed', total: 52, processed: 52, created: 46, duplicates: 2, failed: 4, lastRow: 52 });
    const [tracked] = await runtime.db.select({ n: count() }).from(playlists).where(eq(playlists.workspaceId, runtime.workspaceId));
    expect(tracked!.n).toBe(46);

    const outcomes = await rowOutcomes(runtime, importId);
    expect(outcomes.map((o) => o.row)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(outcomes.filter((o) => o.outcome === 'duplicate').map((o) => [o.row, o.reason])).toEqual([
      [4, 'the same playlist as row 3'],
      [22, 'the same playlist as row 11'],
    ]);
    expect(outcomes.filter((o) => o.outcome === 'failed').map((o) => o.row)).toEqual([33, 39, 45, 52]);

    // Progress went out, conflated: a few messages for 52 rows, the last one with the final counts.
    await waitFor(() => progress.events.filter((e) => e.type === 'bulk_import_progress' && e.data.processed === 52).length > 0, {
      what: 'the final progress',
    });
    const progressEvents = progress.events.filter((e) => e.type === 'bulk_import_progress');
    expect(progressEvents.length).toBeLessThan(52);
    await waitFor(() => activity.events.some((e) => e.type === 'activity_logged' && e.data.kind === 'import_completed'), { what: 'finish activity' });
    const kinds = activity.events.map((e) => (e.type === 'activity_logged' ? e.data.kind : ''));
    expect(kinds).toContain('import_started');
    expect(activity.events.find((e) => e.type === 'activity_logged' && e.data.kind === 'import_completed')?.data).toMatchObject({
      message: 'Imported playlists.csv: 46 added, 2 duplicates, 4 failed.',
    });
    await progress.stop();
    await activity.stop();
  });
});

test('per-row outcomes: created, duplicate in the file, duplicate of a tracked playlist, bad ref, unknown playlist, too many columns', async () => {
  runtime = await importRuntime();
  await addPlaylist(runtime, runtime.workspaceId, { url: demoId(152) });
  const { importId } = await callerFor(runtime).imports.start({ csv: fixture('mixed-outcomes.csv') });
  await importsSettled(runtime);
  expect(await rowOutcomes(runtime, importId)).toEqual([
    { row: 1, outcome: 'created', reason: null },
    { row: 2, outcome: 'duplicate', reason: 'the same playlist as row 1' },
    { row: 3, outcome: 'duplicate', reason: 'already tracked in this workspace' },
    { row: 4, outcome: 'failed', reason: '"not a playlist" is not a Spotify playlist URL, URI or id' },
    { row: 5, outcome: 'failed', reason: expect.stringContaining('was not found in the catalog') },
    { row: 6, outcome: 'failed', reason: expect.stringMatching(/^the row has 5 columns, the file 3/) },
    { row: 7, outcome: 'created', reason: null },
  ]);
  expect(await callerFor(runtime).imports.get({ importId })).toMatchObject({ status: 'completed', total: 7, processed: 7, created: 2, duplicates: 2, failed: 3 });
  const page1 = await callerFor(runtime).imports.errors({ importId, limit: 2 });
  expect(page1.items.map((i) => i.rowNumber)).toEqual([4, 5]);
  expect(page1.items[0]).toEqual({ rowNumber: 4, rawValue: 'not a playlist,Bad ref,', reason: '"not a playlist" is not a Spotify playlist URL, URI or id' });
  const page2 = await callerFor(runtime).imports.errors({ importId, limit: 2, cursor: page1.nextCursor });
  expect(page2).toEqual({ items: [expect.objectContaining({ rowNumber: 6 })], nextCursor: null });
});

test.each([
  ['comma-header.csv', [101, 102, 103]],
  ['semicolon.csv', [111, 112]],
  ['tab.tsv', [121, 122]],
  ['single-column.csv', [131, 132, 133]],
  ['bom-crlf.csv', [141, 142]],
])('%s imports every playlist, with names and tags', async (file, ids) => {
  runtime = await importRuntime();
  const { importId } = await callerFor(runtime).imports.start({ csv: fixture(file), filename: file });
  await importsSettled(runtime);
  expect(await callerFor(runtime).imports.get({ importId })).toMatchObject({ status: 'completed', created: ids.length, failed: 0, duplicates: 0 });
  const stored = await runtime.db.select({ spotifyId: playlists.spotifyId, name: playlists.name, tags: playlists.tags }).from(playlists);
  expect(stored.map((p) => p.spotifyId).sort()).toEqual(ids.map(demoId));
  if (file === 'comma-header.csv') {
    expect(stored.find((p) => p.spotifyId === demoId(101))).toMatchObject({ name: 'Coffee, Tea & "Me"', tags: ['chill', 'focus'] });
  }
});

describe('bad input: a typed error, and nothing written', () => {
  // One runtime for the lot: none of them may write anything, which each case checks.
  let shared: TestRuntime;
  beforeAll(async () => {
    shared = await importRuntime({ env: { IMPORT_MAX_ROWS: '20', IMPORT_MAX_BYTES: String(11 << 20) } });
  });
  afterAll(() => shared.dispose());

  const startError = async (csv: string) => {
    try {
      await callerFor(shared).imports.start({ csv });
    } catch (error) {
      const [stored] = await shared.db.select({ n: count() }).from(imports);
      expect(stored!.n).toBe(0);
      if (error instanceof TRPCError) return error;
      throw error;
    }
    throw new Error('expected imports.start to refuse the file');
  };

  test.each([
    ['empty.csv', 'BAD_REQUEST', /empty/],
    ['whitespace-only.csv', 'BAD_REQUEST', /empty/],
    ['header-only.csv', 'BAD_REQUEST', /header but no rows/],
    ['unterminated-quote.csv', 'BAD_REQUEST', /never closed/],
    ['no-url-column.csv', 'BAD_REQUEST', /no playlist column/],
  ])('%s', async (file, code, message) => {
    const error = await startError(fixture(file));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  test('binary content', async () => {
    const error = await startError(fs.readFileSync(`${__dirname}/../fixtures/csv/binary.bin`, 'utf8'));
    expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(error.message).toMatch(/not UTF-8 text/);
  });

  test('a 10 MB single line', async () => {
    const error = await startError(`url\n${'y'.repeat(10 << 20)}\n`);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/longer than 64 KB \(line 2\)/);
  });

  test('over the row and size limits', async () => {
    const error = await startError(Array.from({ length: 30 }, (_, i) => demoId(i + 1)).join('\n'));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/more than 20 rows/);
    const tooBig = await startError(`url\n${demoId(1)}\n`.padEnd(12 << 20, ' '));
    expect(tooBig.code).toBe('PAYLOAD_TOO_LARGE');
    expect(tooBig.message).toMatch(/larger than the 11 MB/);
  });
});

test('queued beyond the per-workspace limit, started in order as slots free', async () => {
  runtime = await importRuntime({ env: { IMPORT_CONCURRENCY_PER_WORKSPACE: '1', DEMO_LATENCY_MS: '20' } });
  const caller = callerFor(runtime);
  const first = await caller.imports.start({ csv: [101, 102, 103].map(demoId).join('\n') });
  const second = await caller.imports.start({ csv: [201, 202].map(demoId).join('\n') });
  expect((await caller.imports.get({ importId: second.importId })).status).toBe('queued');
  await importsSettled(runtime);
  const a = await caller.imports.get({ importId: first.importId });
  const b = await caller.imports.get({ importId: second.importId });
  expect([a.status, b.status]).toEqual(['completed', 'completed']);
  expect(Date.parse(b.startedAt!)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt!));
});

describe('cancel', () => {
  test('a queued import is cancelled at once; a finished one cannot be', async () => {
    runtime = await importRuntime({ env: { IMPORT_CONCURRENCY_PER_WORKSPACE: '1', DEMO_LATENCY_MS: '20' } });
    const caller = callerFor(runtime);
    const progress = await subscribe(runtime, (c) => c.importProgress());
    await caller.imports.start({ csv: [1, 2, 3].map(demoId).join('\n') });
    const { importId } = await caller.imports.start({ csv: [4, 5].map(demoId).join('\n') });
    expect((await caller.imports.cancel({ importId })).status).toBe('cancelled');
    const finished = await waitForFinished(progress, importId);
    expect(finished.data).toMatchObject({ status: 'cancelled', processed: 0, total: 2 });
    await importsSettled(runtime);
    await expect(caller.imports.cancel({ importId })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(caller.imports.cancel({ importId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [stored] = await runtime.db.select({ n: count() }).from(playlists);
    expect(stored!.n).toBe(3);
    await progress.stop();
  });

  test('a running import stops at its next row, with what it did committed and counted', async () => {
    runtime = await importRuntime({ env: { DEMO_LATENCY_MS: '30' } });
    const caller = callerFor(runtime);
    const progress = await subscribe(runtime, (c) => c.importProgress());
    const { importId } = await caller.imports.start({ csv: Array.from({ length: 200 }, (_, i) => demoId(i + 1)).join('\n') });
    await waitFor(() => progress.events.some((e) => e.type === 'bulk_import_progress' && e.keys.importId === importId && e.data.processed >= 3), {
      what: 'a few rows done',
    });
    await caller.imports.cancel({ importId });
    const finished = await waitForFinished(progress, importId);
    expect(finished.data.status).toBe('cancelled');
    expect(finished.data.processed).toBeGreaterThanOrEqual(3);
    // Reading 200 rows is one chunk now: the cancel lands while their playlists are fetched, and stops the rest.
    expect(finished.data.fetched).toBeLessThan(finished.data.toFetch);
    const [stored] = await runtime.db.select({ n: count() }).from(playlists);
    expect(stored!.n).toBe(finished.data.created);
    expect((await rowOutcomes(runtime, importId)).length).toBe(finished.data.processed);
    expect(finishedEvent(progress.events, importId)).toBeDefined();
    await progress.stop();
  });
});

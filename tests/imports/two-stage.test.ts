/**
 * Imports in two stages: intake records every row and queues the new playlists; the worker's
 * fetch loops fetch them from the job queue. Seen through the real importProgress subscription:
 * progress of both stages, fetch-time failures in the counts and the error report, cancel during
 * fetching, and a playlist added by hand going ahead of a large import's queue.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { activity, enrichmentJobs, playlists } from '~/server/db/schema';
import { startEnrichmentServices } from '~/server/enrichment/enrichment-services';
import type { Envelope } from '~/server/events/catalog';
import { JOB_PRIORITY } from '~/server/jobs/job-priority';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, type TestRuntime } from '../support/runtime';
import { demoId, importRuntime, rowOutcomes, waitForFinished } from './support';

let runtime: TestRuntime | undefined;
afterEach(async () => {
  await runtime?.dispose();
  runtime = undefined;
});

const progressOf = (events: Envelope[], importId: string) =>
  events.filter((e): e is Envelope<'bulk_import_progress'> => e.type === 'bulk_import_progress' && e.keys.importId === importId);

const fetchJobs = (rt: TestRuntime, importId: string, statuses: ('queued' | 'running' | 'completed')[]) =>
  rt.db
    .select({ n: count() })
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.importId, importId), eq(enrichmentJobs.kind, 'fetch'), inArray(enrichmentJobs.status, statuses)))
    .then(([row]) => Number(row!.n));

describe.each(engines)('on %s', (engine) => {
  test('a missing and a restricted playlist fail their rows at fetch time: exact counts, error report, both stages live', async () => {
    runtime = await importRuntime({ engine });
    const progress = await subscribe(runtime, (c) => c.importProgress());
    const updates = await subscribe(runtime, (c) => c.playlistUpdates());
    await waitFor(() => progress.messages.length >= 1 && updates.messages.length >= 1, { what: 'snapshots' });
    const csv = [
      'url,name',
      `${demoId(1)},One`,
      'DemoMissing00000000007,Deleted',
      `spotify:playlist:${demoId(1)},Again`,
      'not a playlist,Bad',
      'DemoLocked000000000003,Locked',
      `${demoId(2)},Two`,
    ].join('\n');

    const { importId } = await callerFor(runtime).imports.start({ csv, filename: 'fetch-failures.csv' });
    const finished = await waitForFinished(progress, importId);

    // Read: 4 new, 1 duplicate, 1 bad. Fetched: 2 of the 4; the 2 that failed moved from created to failed.
    expect(finished.data).toMatchObject({
      status: 'completed',
      total: 6,
      processed: 6,
      created: 2,
      duplicates: 1,
      failed: 3,
      toFetch: 4,
      fetched: 2,
      fetchFailed: 2,
    });
    expect(await callerFor(runtime).imports.get({ importId })).toMatchObject({ status: 'completed', processed: 6, created: 2, duplicates: 1, failed: 3, toFetch: 4, fetched: 2, fetchFailed: 2 });
    expect((await rowOutcomes(runtime, importId)).map((r) => [r.row, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'failed'],
      [3, 'duplicate'],
      [4, 'failed'],
      [5, 'failed'],
      [6, 'created'],
    ]);
    const report = await callerFor(runtime).imports.errors({ importId });
    expect(report.items.map((item) => [item.rowNumber, item.rawValue])).toEqual([
      [2, 'DemoMissing00000000007,Deleted,'],
      [4, 'not a playlist,Bad,'],
      [5, 'DemoLocked000000000003,Locked,'],
    ]);
    expect(report.items[0]!.reason).toMatch(/was not found in the catalog/);
    expect(report.items[2]!.reason).toMatch(/cannot be read/);

    // Only the fetched playlists stay, with their tracks; the failed ones were removed again.
    const stored = await runtime.db.select({ spotifyId: playlists.spotifyId, fetchStatus: playlists.fetchStatus, trackCount: playlists.trackCount }).from(playlists);
    expect(stored.map((p) => p.spotifyId).sort()).toEqual([demoId(1), demoId(2)]);
    for (const p of stored) expect(p).toMatchObject({ fetchStatus: 'fetched', trackCount: expect.any(Number) });
    expect(stored.every((p) => p.trackCount > 0)).toBe(true);

    // Progress of both stages arrived through the subscription, the final counts last.
    await waitFor(() => progressOf(progress.events, importId).some((e) => e.data.fetched + e.data.fetchFailed === 4), { what: 'the final progress' });
    const last = progressOf(progress.events, importId).at(-1)!;
    expect(last.data).toMatchObject({ processed: 6, toFetch: 4, fetched: 2, fetchFailed: 2, created: 2, failed: 3 });
    expect(last.data.fetchesPerSecond).toBeGreaterThanOrEqual(0);
    expect(progressOf(progress.events, importId).some((e) => e.data.status === 'queued')).toBe(true);

    // Each placeholder was announced pending, then fetched or removed with the provider's reason.
    await waitFor(() => updates.events.filter((e) => e.type === 'playlist_error').length >= 2, { what: 'playlist_error events' });
    const pending = updates.events.filter((e) => e.type === 'playlist_updated' && e.data.changes.fetchStatus === 'pending');
    expect(pending).toHaveLength(4);
    const removed = updates.events.filter((e) => e.type === 'playlist_updated' && e.data.removed);
    expect(removed).toHaveLength(2);
    const errors = updates.events.filter((e): e is Envelope<'playlist_error'> => e.type === 'playlist_error');
    expect(errors.map((e) => e.data.code).sort()).toEqual(['PLAYLIST_NOT_FOUND', 'PLAYLIST_RESTRICTED']);
    await progress.stop();
    await updates.stop();
  });
});

test('cancel while playlists are being fetched stops the remaining fetches; what was fetched stays and is counted', async () => {
  runtime = await importRuntime({ env: { DEMO_LATENCY_MS: '40', FETCH_CONCURRENCY: '2', FETCH_BATCH_SIZE: '2' } });
  const caller = callerFor(runtime);
  const progress = await subscribe(runtime, (c) => c.importProgress());
  const { importId } = await caller.imports.start({ csv: Array.from({ length: 60 }, (_, i) => demoId(i + 1)).join('\n') });
  await waitFor(() => progressOf(progress.events, importId).some((e) => e.data.processed === 60 && e.data.fetched >= 4), { what: 'every row read and a few fetched' });

  await caller.imports.cancel({ importId });
  const finished = await waitForFinished(progress, importId);
  expect(finished.data.status).toBe('cancelled');
  expect(finished.data).toMatchObject({ processed: 60, toFetch: 60, duplicates: 0 });
  expect(finished.data.fetched).toBeGreaterThanOrEqual(4);
  expect(finished.data.fetched).toBeLessThan(60);
  expect(finished.data.fetched + finished.data.fetchFailed).toBe(60);
  expect(finished.data.created).toBe(finished.data.fetched);
  expect(finished.data.failed).toBe(finished.data.fetchFailed);

  // Nothing left to fetch, no playlist left half-added; the rows not fetched are in the error report.
  expect(await fetchJobs(runtime, importId, ['queued', 'running'])).toBe(0);
  const stored = await runtime.db.select({ fetchStatus: playlists.fetchStatus }).from(playlists);
  expect(stored).toHaveLength(finished.data.created);
  expect(stored.every((p) => p.fetchStatus === 'fetched')).toBe(true);
  const outcomes = await rowOutcomes(runtime, importId);
  expect(outcomes).toHaveLength(60);
  const cancelled = outcomes.filter((o) => o.outcome === 'failed');
  expect(cancelled).toHaveLength(finished.data.fetchFailed);
  for (const row of cancelled) expect(row.reason).toMatch(/cancelled before this playlist was fetched/);
  // The fetched count does not move after the finish.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await caller.imports.get({ importId })).toMatchObject({ status: 'cancelled', fetched: finished.data.fetched, created: finished.data.created });
  await progress.stop();
});

test('during a large import, a playlist added by hand is fetched and enriched before the import queue drains', async () => {
  runtime = await importRuntime({ fetch: false, env: { DEMO_LATENCY_MS: '5', FETCH_CONCURRENCY: '2', FETCH_BATCH_SIZE: '2', WORKER_CONCURRENCY: '1' } });
  const rt = runtime;
  const services = startEnrichmentServices(rt, { worker: true, pollers: false });
  rt.onClose.push(() => services.stop());
  const caller = callerFor(rt);
  const progress = await subscribe(rt, (c) => c.importProgress());
  const jobs = await subscribe(rt, (c) => c.jobStatus());
  const { importId } = await caller.imports.start({ csv: ['url', ...Array.from({ length: 400 }, (_, i) => demoId(1000 + i))].join('\n') });
  await waitFor(() => progressOf(progress.events, importId).some((e) => e.data.processed === 400 && e.data.fetched >= 10), { what: 'the import fetching' });

  // A new playlist: fetched at once (inline), and its enrichment job (interactive) runs ahead of the import's.
  const added = await caller.playlists.add({ url: demoId(5000) });
  expect(added).toMatchObject({ created: true, fetchStatus: 'fetched' });
  expect(added.trackCount).toBeGreaterThan(0);
  const [job] = await rt.db.select({ priority: enrichmentJobs.priority }).from(enrichmentJobs).where(eq(enrichmentJobs.id, added.jobId!));
  expect(job!.priority).toBe(JOB_PRIORITY.interactive);
  // One the import has yet to fetch (the file's last row): added by hand, its fetch goes first.
  const waiting = await caller.playlists.add({ url: demoId(1399) });
  expect(waiting).toMatchObject({ created: false, fetchStatus: 'pending' });

  await waitFor(
    () => jobs.events.some((e) => e.type === 'job_status_changed' && e.data.jobId === added.jobId && e.data.to === 'completed'),
    { timeoutMs: 60_000, what: "the hand-added playlist's enrichment to complete" },
  );
  const [byHand] = await rt.db.select({ fetchStatus: playlists.fetchStatus }).from(playlists).where(eq(playlists.spotifyId, demoId(1399)));
  expect(byHand!.fetchStatus).toBe('fetched');
  // ...while the import's queue still had fetches waiting.
  expect(await fetchJobs(rt, importId, ['queued'])).toBeGreaterThan(0);
  const [fetchedAt] = await rt.db
    .select({ n: count() })
    .from(activity)
    .where(and(eq(activity.kind, 'playlist_added'), eq(activity.playlistId, waiting.id)));
  expect(Number(fetchedAt!.n)).toBe(1);

  await caller.imports.cancel({ importId });
  await waitForFinished(progress, importId, 60_000);
  await progress.stop();
  await jobs.stop();
});

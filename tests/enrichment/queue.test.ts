/**
 * The job queue: idempotent enqueue, claims that never double-claim (concurrently, on Postgres
 * across two runtimes as two processes would), retry with backoff then failure, cancel of queued
 * and running jobs, retry of a failed job, and the sweeper re-queueing an expired lease.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { claimNextJob } from '~/server/jobs/claim-next-job';
import { backoffMs } from '~/server/jobs/backoff';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import { LEASE_EXPIRED_ERROR, sweepExpiredLeases } from '~/server/jobs/sweep-expired-leases';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { ProviderError, type CatalogProvider } from '~/server/providers/types';
import { createRuntime } from '~/server/runtime';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, type TestRuntime } from '../support/runtime';
import { jobTransitions, ofType, pipelineRuntime, startWorker, live } from './support';

const disposers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (disposers.length) await disposers.pop()!();
});

async function runtimeOn(engine: (typeof engines)[number], env: Record<string, string> = {}): Promise<TestRuntime> {
  const runtime = await pipelineRuntime({ engine, env });
  disposers.push(() => runtime.dispose());
  return runtime;
}

describe.each(engines)('job queue on %s', (engine) => {
  test('enqueue is idempotent per playlist and phase set while a job is active', async () => {
    const runtime = await runtimeOn(engine);
    const caller = callerFor(runtime);
    const playlist = await caller.playlists.add({ url: demoPlaylistId(20) });
    const again = await caller.jobs.enqueue({ playlistId: playlist.id });
    expect(again).toMatchObject({ id: playlist.jobId, created: false });
    const statsOnly = await caller.jobs.enqueue({ playlistId: playlist.id, phases: [3] });
    expect(statsOnly.created).toBe(true);
    expect(statsOnly.id).not.toBe(playlist.jobId);
    await caller.jobs.cancel({ id: playlist.jobId! });
    const afterCancel = await caller.jobs.enqueue({ playlistId: playlist.id });
    expect(afterCancel.created).toBe(true);
    await expect(caller.jobs.enqueue({ playlistId: 'no-such-playlist' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('concurrent claims never claim one job twice', async () => {
    const runtime = await runtimeOn(engine);
    const jobCount = 12;
    for (let i = 0; i < jobCount; i++) {
      await runtime.log.transaction((tx) =>
        enqueueJob(tx, { workspaceId: runtime.workspaceId, playlistId: null, trackIds: [`t${i}`], maxAttempts: 3, reason: 'test' }),
      );
    }
    // On Postgres a second runtime is a second connection pool: claims race as two processes' would.
    const second = engine === 'postgres' ? await createRuntime(runtime.target) : runtime;
    if (second !== runtime) disposers.push(() => second.close());
    const claimers = Array.from({ length: 8 }, (_, i) => ({ log: (i % 2 ? second : runtime).log, id: `worker-${i}` }));
    const claimed: { jobId: string; by: string }[] = [];
    await Promise.all(
      claimers.map(async ({ log, id }) => {
        for (;;) {
          const job = await claimNextJob(log, id, 60_000);
          if (!job) return;
          claimed.push({ jobId: job.id, by: id });
        }
      }),
    );
    expect(claimed).toHaveLength(jobCount);
    expect(new Set(claimed.map((c) => c.jobId)).size).toBe(jobCount);
    if (engine === 'postgres') expect(new Set(claimed.map((c) => c.by)).size).toBeGreaterThan(1);
  });

  test('a provider outage fails the phase; the job retries with backoff, then fails with the last error', async () => {
    const runtime = await runtimeOn(engine, { JOB_MAX_ATTEMPTS: '2', PROVIDER_CALL_ATTEMPTS: '2' });
    const caller = callerFor(runtime);
    const playlist = await caller.playlists.add({ url: demoPlaylistId(21) });
    const catalog = runtime.providers.catalog;
    let calls = 0;
    runtime.providers.catalog = outageCatalog(catalog, () => calls++);
    const jobs = await live(runtime, (c) => c.jobStatus({ jobId: playlist.jobId! }));
    const trackSub = await live(runtime, (c) => c.trackStatus({ playlistId: playlist.id }));
    startWorker(runtime);
    await waitFor(() => jobTransitions(jobs.events, playlist.jobId!).includes('running->failed'), { what: 'job failed' });
    expect(jobTransitions(jobs.events, playlist.jobId!)).toEqual(['queued->running', 'running->queued', 'queued->running', 'running->failed']);
    const statuses = ofType(jobs.events, 'job_status_changed');
    const retry = statuses.find((e) => e.data.to === 'queued')!;
    expect(retry.data.error).toContain('Phase 1 (catalog) failed');
    expect(retry.data.retryAt).not.toBeNull();
    expect(statuses.at(-1)!.data).toMatchObject({ attempt: 2, error: expect.stringContaining('upstream is down') });
    expect(ofType(jobs.events, 'enrichment_phase').map((e) => e.data.state)).toEqual(['started', 'failed', 'started', 'failed']);
    expect(calls).toBe(4); // 2 provider calls per attempt, 2 attempts
    // Its tracks do not stay "enriching": they fail with the job's reason.
    await waitFor(() => ofType(trackSub.events, 'track_status_changed').some((e) => e.data.to === 'failed'), { what: 'tracks failed' });
    const tracks = await caller.tracks.list({ playlistId: playlist.id });
    expect(tracks.filter((t) => t.enrichmentStatus === 'enriching')).toHaveLength(0);
    expect(tracks.filter((t) => t.enrichmentStatus === 'failed').length).toBeGreaterThan(0);

    // jobs.retry re-queues it with fresh attempts; with the provider back, it completes.
    runtime.providers.catalog = catalog;
    await caller.jobs.retry({ id: playlist.jobId! });
    await waitFor(() => jobTransitions(jobs.events, playlist.jobId!).includes('running->completed'), { what: 'retried job completed' });
    expect(jobTransitions(jobs.events, playlist.jobId!).slice(-3)).toEqual(['failed->queued', 'queued->running', 'running->completed']);
    await expect(caller.jobs.retry({ id: playlist.jobId! })).rejects.toMatchObject({ code: 'CONFLICT' });
    await jobs.stop();
    await trackSub.stop();
  });

  test('cancel: a queued job at once; a running one at the next batch boundary, its tracks back to pending', async () => {
    const runtime = await runtimeOn(engine, { DEMO_LATENCY_MS: '40', ENRICH_BATCH_SIZE: '2' });
    const caller = callerFor(runtime);
    const queued = await caller.playlists.add({ url: demoPlaylistId(22) });
    expect(await caller.jobs.cancel({ id: queued.jobId! })).toMatchObject({ status: 'cancelled' });
    await expect(caller.jobs.cancel({ id: queued.jobId! })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(caller.jobs.cancel({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const running = await caller.playlists.add({ url: demoPlaylistId(23) });
    const jobs = await live(runtime, (c) => c.jobStatus({ jobId: running.jobId! }));
    startWorker(runtime);
    await waitFor(() => ofType(jobs.events, 'batch_complete').length >= 1, { what: 'first batch' });
    await caller.jobs.cancel({ id: running.jobId! });
    await waitFor(() => jobTransitions(jobs.events, running.jobId!).includes('running->cancelled'), { what: 'cancelled' });
    const batches = ofType(jobs.events, 'batch_complete');
    expect(batches.length).toBeLessThan(Math.ceil(running.trackCount / 2) * 4);
    const tracks = await caller.tracks.list({ playlistId: running.id });
    expect(tracks.filter((t) => t.enrichmentStatus === 'enriching')).toHaveLength(0);
    expect(tracks.some((t) => t.enrichmentStatus === 'pending')).toBe(true);
    await jobs.stop();
  });

  test('the sweeper re-queues a job whose lease expired, and a worker runs it again', async () => {
    const runtime = await runtimeOn(engine);
    const caller = callerFor(runtime);
    const playlist = await caller.playlists.add({ url: demoPlaylistId(24) });
    const jobs = await live(runtime, (c) => c.jobStatus({ jobId: playlist.jobId! }));
    // A worker that claims and then dies: its 1 ms lease is gone at once.
    const ghost = await claimNextJob(runtime.log, 'ghost-worker', 1);
    expect(ghost?.id).toBe(playlist.jobId);
    await waitFor(async () => (await sweepExpiredLeases(runtime.log, { backoffBaseMs: 10, backoffMaxMs: 10 })) === 1, { what: 'swept' });
    startWorker(runtime);
    await waitFor(() => jobTransitions(jobs.events, playlist.jobId!).includes('running->completed'), { what: 'completed' });
    const requeued = ofType(jobs.events, 'job_status_changed').find((e) => e.data.to === 'queued')!;
    expect(requeued.data.error).toBe(LEASE_EXPIRED_ERROR);
    expect(await caller.jobs.get({ id: playlist.jobId! })).toMatchObject({ status: 'completed', attempt: 2 });
    await jobs.stop();
  });
});

test('backoff grows exponentially with jitter, within its cap', () => {
  expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
  expect(backoffMs(1, 1000, 60_000, () => 0.999999)).toBe(1000);
  expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
  expect(backoffMs(3, 1000, 60_000, () => 0.999999)).toBe(4000);
  expect(backoffMs(20, 1000, 60_000, () => 0.999999)).toBe(60_000);
  const spread = new Set(Array.from({ length: 50 }, () => backoffMs(4, 1000, 60_000)));
  expect(spread.size).toBeGreaterThan(1);
  for (const wait of spread) expect(wait).toBeGreaterThanOrEqual(4000);
});

function outageCatalog(real: CatalogProvider, onCall: () => void): CatalogProvider {
  return {
    name: 'down-catalog',
    getPlaylist: (id, signal) => real.getPlaylist(id, signal),
    getPlaylistFollowers: (id, signal) => real.getPlaylistFollowers(id, signal),
    async getTracks() {
      onCall();
      throw new ProviderError('down-catalog', 'UNAVAILABLE', 'The upstream is down (503).');
    },
  };
}

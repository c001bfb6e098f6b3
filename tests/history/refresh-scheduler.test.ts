/**
 * Scheduled refreshes (history/refresh-scheduler.ts): a fetched playlist whose last fetch is older
 * than PLAYLIST_REFRESH_INTERVAL_MS gets a refresh job on the queue, which the worker's fetch
 * loops run through the refresh's own code; the job shows on the job board (jobStatus, jobs.list)
 * and its membership diff arrives as playlist_tracks_changed on playlistUpdates, week by week in
 * playlists.history. Another workspace sees none of it. With two runtimes on one Postgres
 * database, one enqueues: a due playlist gets one job.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, test } from 'vitest';
import { activity, enrichmentJobs, playlists } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { enqueueDueRefreshes, startRefreshScheduler } from '~/server/history/refresh-scheduler';
import { claimFetchJobs } from '~/server/jobs/claim-fetch-jobs';
import { LEASE_EXPIRED_ERROR, sweepExpiredLeases } from '~/server/jobs/sweep-expired-leases';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { ProviderError } from '~/server/providers/types';
import { createWorkspace } from '../support/accounts';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, postgresUrl, type TestRuntime } from '../support/runtime';
import { jobTransitions, live, ofType, testRuntimes } from '../enrichment/support';
import { startFetchWorker } from '../imports/support';
import { backdate, idsOf, mondayOf, runtimePerTest, scriptedCatalog, trackIdsBySpotifyId, without } from './support';

const runtime = runtimePerTest();

const DAY = 86_400_000;

function startScheduler(rt: TestRuntime) {
  const timer = startRefreshScheduler(rt)!;
  rt.onClose.push(() => timer.stop());
  return timer;
}

async function refreshJobsOf(rt: TestRuntime, playlistId?: string) {
  return rt.db
    .select()
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.kind, 'fetch'), sql`${enrichmentJobs.importId} IS NULL`, playlistId ? eq(enrichmentJobs.playlistId, playlistId) : undefined))
    .orderBy(enrichmentJobs.createdAt);
}

const statusEventsOf = (events: Envelope[], jobId: string) => ofType(events, 'job_status_changed').filter((e) => e.data.jobId === jobId);

describe.each(engines)('scheduled refreshes on %s', (engine) => {
  test('a due playlist is refreshed through the job queue: on the job board, its diff on playlistUpdates and in its week of history, none of it in another workspace', async () => {
    const rt = await runtime.start({ engine, env: { PLAYLIST_REFRESH_INTERVAL_MS: '2000' } });
    const script = scriptedCatalog(rt);
    const spotifyId = demoPlaylistId(5);
    const { id: playlistId } = await callerFor(rt).playlists.add({ url: spotifyId });
    const before = await trackIdsBySpotifyId(rt, rt.workspaceId);
    const v0 = idsOf(script.tracksAt(spotifyId, 0), before);
    // As if it had been added two weeks ago, and not fetched since.
    await backdate(rt, rt.workspaceId, playlistId, 14);

    const other = await createWorkspace(rt, 'Other label');
    const jobs = await live(rt, (c) => c.jobStatus());
    const theirUpdates = await subscribe(rt, (c) => c.playlistUpdates(), { workspaceId: other });
    const theirJobStream = await subscribe(rt, (c) => c.jobStatus(), { workspaceId: other });
    await waitFor(() => theirUpdates.messages.length > 0 && theirJobStream.messages.length > 0, { what: "the other workspace's snapshots" });
    const updates = await live(rt, (c) => c.playlistUpdates({ playlistId }));

    script.setVersion(1);
    startFetchWorker(rt);
    startScheduler(rt);

    const [job] = await waitFor(() => refreshJobsOf(rt, playlistId).then((found) => found.length > 0 && found), { what: 'a refresh job' });
    expect(job).toMatchObject({ kind: 'fetch', importId: null, phases: [0], priority: 100 });
    await waitFor(() => jobTransitions(jobs.events, job!.id).includes('running->completed'), { what: 'the refresh job completed' });
    expect(jobTransitions(jobs.events, job!.id)).toEqual(['none->queued', 'queued->running', 'running->completed']);
    for (const event of statusEventsOf(jobs.events, job!.id)) expect(event.data).toMatchObject({ playlistId, phase: null });

    const after = await trackIdsBySpotifyId(rt, rt.workspaceId);
    const v1 = idsOf(script.tracksAt(spotifyId, 1), after);
    const added = without(v1, v0);
    const dropped = without(v0, v1);
    const [changed] = await waitFor(() => {
      const found = ofType(updates.events, 'playlist_tracks_changed');
      return found.length > 0 && found;
    }, { what: 'playlist_tracks_changed' });
    expect(changed!.data).toEqual({ playlistId, added, dropped, week: mondayOf(new Date()) });

    const board = await callerFor(rt).jobs.list({ playlistId });
    expect(board.find((entry) => entry.id === job!.id)).toMatchObject({ status: 'completed', phases: [0], playlistId, priority: 100 });
    expect(await callerFor(rt).jobs.get({ id: job!.id })).toMatchObject({ id: job!.id, status: 'completed' });
    const [stored] = await rt.db.select().from(playlists).where(eq(playlists.id, playlistId));
    expect(Date.now() - stored!.lastFetchedAt!.getTime()).toBeLessThan(60_000);

    const history = await callerFor(rt, undefined, { role: 'viewer' }).playlists.history({ id: playlistId });
    // Only this week: the first fetch two weeks ago was the baseline, which records nothing.
    expect(history.weeks.map((week) => week.week)).toEqual([mondayOf(new Date())]);
    expect(history.weeks[0]!.added.map((track) => track.trackId)).toEqual(added);
    expect(history.weeks[0]!.dropped.map((track) => track.trackId)).toEqual(dropped);
    expect(history.weeks[0]!.added[0]).toMatchObject({ name: expect.any(String), artist: expect.any(String), position: v1.indexOf(added[0]!), at: expect.any(String) });

    // Another workspace: no event of ours on its streams, our playlist and job unknown to it.
    const theirs = callerFor(rt, undefined, { workspaceId: other });
    await expect(theirs.playlists.history({ id: playlistId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(theirs.jobs.get({ id: job!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await theirs.jobs.list()).toEqual([]);
    expect(theirUpdates.events.concat(theirJobStream.events)).toEqual([]);
    for (const sub of [jobs, updates, theirUpdates, theirJobStream]) await sub.stop();
  });

  test('a refresh whose playlist is gone fails for good: playlist_error, the job failed on the board, not queued again within the interval', async () => {
    const rt = await runtime.start({ engine, env: { PLAYLIST_REFRESH_INTERVAL_MS: '600000' } });
    const script = scriptedCatalog(rt);
    const { id: playlistId } = await callerFor(rt).playlists.add({ url: demoPlaylistId(6) });
    await backdate(rt, rt.workspaceId, playlistId, 1);
    const jobs = await live(rt, (c) => c.jobStatus());
    const updates = await live(rt, (c) => c.playlistUpdates({ playlistId }));
    script.fail(new ProviderError('demo-catalog', 'NOT_FOUND', 'gone'));

    expect(await enqueueDueRefreshes(rt)).toBe(1);
    // Already queued: a second pass finds nothing due.
    expect(await enqueueDueRefreshes(rt)).toBe(0);
    startFetchWorker(rt);
    const [job] = await refreshJobsOf(rt, playlistId);
    await waitFor(() => jobTransitions(jobs.events, job!.id).includes('running->failed'), { what: 'the refresh job failed' });
    expect(jobTransitions(jobs.events, job!.id)).toEqual(['none->queued', 'queued->running', 'running->failed']);
    const error = await waitFor(() => ofType(updates.events, 'playlist_error')[0], { what: 'playlist_error' });
    expect(error.data).toMatchObject({ playlistId, code: 'PLAYLIST_NOT_FOUND' });
    expect(await callerFor(rt).jobs.get({ id: job!.id })).toMatchObject({ status: 'failed', lastError: error.data.message });
    const [stored] = await rt.db.select().from(playlists).where(eq(playlists.id, playlistId));
    expect(stored!.lastErrorCode).toBe('PLAYLIST_NOT_FOUND');
    // Still due by its last fetch, but it had its refresh this interval.
    expect(await enqueueDueRefreshes(rt)).toBe(0);
    expect(ofType(updates.events, 'playlist_tracks_changed')).toEqual([]);
    await jobs.stop();
    await updates.stop();
  });

  test('refresh jobs are cancelled, retried, swept and removed with their playlist like any job, each change an event', async () => {
    const rt = await runtime.start({ engine, env: { PLAYLIST_REFRESH_INTERVAL_MS: '600000', JOB_SWEEP_INTERVAL_MS: '0' } });
    const caller = callerFor(rt);
    const first = await caller.playlists.add({ url: demoPlaylistId(7) });
    const second = await caller.playlists.add({ url: demoPlaylistId(8) });
    const third = await caller.playlists.add({ url: demoPlaylistId(9) });
    for (const { id } of [first, second, third]) await backdate(rt, rt.workspaceId, id, 1);
    const jobs = await live(rt, (c) => c.jobStatus());
    expect(await enqueueDueRefreshes(rt)).toBe(3);
    const [cancelled] = await refreshJobsOf(rt, first.id);
    const [removedWith] = await refreshJobsOf(rt, second.id);
    const [swept] = await refreshJobsOf(rt, third.id);

    expect(await caller.jobs.cancel({ id: cancelled!.id })).toMatchObject({ status: 'cancelled' });
    await caller.playlists.remove({ id: second.id });
    await waitFor(() => jobTransitions(jobs.events, removedWith!.id).length === 2, { what: 'the removed playlist’s refresh cancelled' });
    expect(jobTransitions(jobs.events, cancelled!.id)).toEqual(['none->queued', 'queued->cancelled']);
    expect(jobTransitions(jobs.events, removedWith!.id)).toEqual(['none->queued', 'queued->cancelled']);

    // A worker claims the third and stops answering: the sweeper queues it again, on the board.
    const claimed = await claimFetchJobs(rt.log, 'a-worker-that-died', 1, 10);
    expect(claimed.map((item) => item.job.id)).toEqual([swept!.id]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await sweepExpiredLeases(rt.log, { backoffBaseMs: 10, backoffMaxMs: 10 })).toBe(1);
    await waitFor(() => jobTransitions(jobs.events, swept!.id).length === 3, { what: 'the swept refresh re-queued' });
    expect(jobTransitions(jobs.events, swept!.id)).toEqual(['none->queued', 'queued->running', 'running->queued']);
    expect(statusEventsOf(jobs.events, swept!.id).at(-1)!.data.error).toBe(LEASE_EXPIRED_ERROR);

    expect(await caller.jobs.retry({ id: cancelled!.id })).toMatchObject({ status: 'queued' });
    startFetchWorker(rt);
    for (const id of [cancelled!.id, swept!.id]) {
      await waitFor(() => jobTransitions(jobs.events, id).includes('running->completed'), { what: `refresh ${id} completed` });
    }
    await jobs.stop();
  });
});

describe.skipIf(!postgresUrl)('two runtimes on one Postgres database', () => {
  const runtimes = testRuntimes();
  afterEach(() => runtimes.dispose());

  test('one scheduler enqueues: each due playlist gets one refresh job, however the passes of two instances interleave', async () => {
    const a = await runtimes.on('postgres', { PLAYLIST_REFRESH_INTERVAL_MS: '1000' });
    const b = await runtimes.second(a);
    expect(b).not.toBe(a);
    const ids: string[] = [];
    for (let n = 11; n <= 16; n++) ids.push((await callerFor(a).playlists.add({ url: demoPlaylistId(n) })).id);
    const makeDue = () => a.db.update(playlists).set({ lastFetchedAt: sql`now() - interval '1 hour'` });
    const perPlaylist = async () => {
      const rows = await a.db
        .select({ playlistId: enrichmentJobs.playlistId, n: count() })
        .from(enrichmentJobs)
        .where(and(eq(enrichmentJobs.kind, 'fetch'), sql`${enrichmentJobs.importId} IS NULL`))
        .groupBy(enrichmentJobs.playlistId);
      return new Map(rows.map((row) => [row.playlistId, Number(row.n)]));
    };
    const expectOneEach = async () => expect(await perPlaylist()).toEqual(new Map(ids.map((id) => [id, 1])));

    // Passes at the same moment from both instances: one enqueues all, the other nothing.
    await makeDue();
    for (let round = 0; round < 5; round++) {
      const counts = await Promise.all([enqueueDueRefreshes(a), enqueueDueRefreshes(b)]);
      expect(counts.sort()).toEqual([0, ids.length]);
      await expectOneEach();
      await a.db.delete(enrichmentJobs).where(eq(enrichmentJobs.kind, 'fetch'));
    }

    // Both schedulers running, checking every 100 ms.
    await a.db.delete(activity).where(eq(activity.kind, 'refresh_scheduled'));
    const jobs = await live(a, (c) => c.jobStatus());
    const timers = [startRefreshScheduler(a)!, startRefreshScheduler(b)!];
    runtimes.defer(async () => {
      for (const timer of timers) await timer.stop();
    });
    await waitFor(async () => (await perPlaylist()).size === ids.length, { what: 'refresh jobs' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const timer of timers) await timer.stop();
    await expectOneEach();
    const scheduled = await a.db.select().from(activity).where(eq(activity.kind, 'refresh_scheduled'));
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.message).toContain(`${ids.length} playlists`);
    // Whichever instance enqueued, the events reach this one's subscribers.
    for (const job of await refreshJobsOf(a)) {
      await waitFor(() => jobTransitions(jobs.events, job.id).includes('none->queued'), { what: `the queued event of ${job.id}` });
    }
    await jobs.stop();
  });
});

if (!postgresUrl) console.warn('[tests] TEST_DATABASE_URL is not set: "one scheduler enqueues" (two runtimes on one Postgres database) is skipped.');

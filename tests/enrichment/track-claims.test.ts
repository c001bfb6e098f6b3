/**
 * Track claims (src/server/tracks/track-claims.ts) through the real worker, seen through the real
 * trackStatus subscription: with two workers (on Postgres two runtimes, as two processes would
 * be), a track is enriched by one job at a time and once; a job skips what another job holds or
 * what was enriched recently, and counts it; statuses only move forward (the rule in
 * track-transitions.ts); a forced job re-enriches fresh tracks and keeps them completed meanwhile.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { and, eq, inArray, isNotNull, max, sql } from 'drizzle-orm';
import { enrichmentJobs, events, tracks } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { markCancelled } from '~/server/jobs/cancel-job';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import { lockJob } from '~/server/jobs/lock-job';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import type { CatalogProvider, StatsProvider } from '~/server/providers/types';
import type { Runtime } from '~/server/runtime';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines, type TestRuntime } from '../support/runtime';
import { live, ofType, startWorker, testRuntimes } from './support';

const runtimes = testRuntimes();
afterEach(() => runtimes.dispose());
const runtimeOn = runtimes.on;
const secondRuntime = runtimes.second;

/** What the providers were asked, per track (spotify id): calls per phase, and calls in flight at once. */
interface ProviderLog {
  catalog: Map<string, number>;
  stats: Map<string, number>;
  inFlight: Map<string, number>;
  overlapped: Set<string>;
}

function providerLog(): ProviderLog {
  return { catalog: new Map(), stats: new Map(), inFlight: new Map(), overlapped: new Set() };
}

/** Wraps the runtime's catalog and stats providers to fill `log`; `gate` holds each catalog call until it resolves. */
function watchProviders(runtime: Runtime, log: ProviderLog, gate: () => Promise<void> = async () => {}): void {
  const { catalog, stats } = runtime.providers;
  const enter = (ids: readonly string[], counts: Map<string, number>) => {
    for (const id of ids) {
      counts.set(id, (counts.get(id) ?? 0) + 1);
      const now = (log.inFlight.get(id) ?? 0) + 1;
      log.inFlight.set(id, now);
      if (now > 1) log.overlapped.add(id);
    }
  };
  const leave = (ids: readonly string[]) => {
    for (const id of ids) log.inFlight.set(id, log.inFlight.get(id)! - 1);
  };
  const watchedCatalog: CatalogProvider = {
    name: catalog.name,
    getPlaylist: (id, signal) => catalog.getPlaylist(id, signal),
    getPlaylistFollowers: (id, signal) => catalog.getPlaylistFollowers(id, signal),
    async getTracks(ids, signal) {
      await gate();
      enter(ids, log.catalog);
      try {
        return await catalog.getTracks(ids, signal);
      } finally {
        leave(ids);
      }
    },
  };
  const watchedStats: StatsProvider = {
    name: stats.name,
    async getTrackStats(track, signal) {
      enter([track.spotifyId], log.stats);
      try {
        return await stats.getTrackStats(track, signal);
      } finally {
        leave([track.spotifyId]);
      }
    },
    ...(stats.getPlaylistTracks ? { getPlaylistTracks: (id: string, signal?: AbortSignal) => stats.getPlaylistTracks!(id, signal) } : {}),
  };
  runtime.providers = { ...runtime.providers, catalog: watchedCatalog, stats: watchedStats };
}

/** Forward moves only (track-transitions.ts): the ways a job may move a track. */
const FORWARD = new Set(['pending->enriching', 'failed->enriching', 'enriching->completed', 'enriching->failed']);

/** Per track, in the order the subscriber received them: its moves and the jobs whose events name it. */
function trackHistories(received: readonly Envelope[]) {
  const histories = new Map<string, { moves: string[]; jobs: Set<string | null>; enriched: number; continuous: boolean }>();
  for (const event of received) {
    if (event.type !== 'track_status_changed' && event.type !== 'track_enriched') continue;
    const data = (event as Envelope<'track_status_changed' | 'track_enriched'>).data;
    const history = histories.get(data.trackId) ?? { moves: [], jobs: new Set(), enriched: 0, continuous: true };
    history.jobs.add(data.jobId);
    if (event.type === 'track_enriched') history.enriched++;
    else {
      const { from, to } = (event as Envelope<'track_status_changed'>).data;
      const previous = history.moves.at(-1);
      if (previous && previous.split('->')[1] !== from) history.continuous = false;
      history.moves.push(`${from}->${to}`);
    }
    histories.set(data.trackId, history);
  }
  return histories;
}

/** Every event of `types` the outbox holds has reached the subscription (none is still on its way). */
async function drained(runtime: TestRuntime, received: () => readonly Envelope[], types: string[] = ['track_status_changed', 'track_enriched']): Promise<void> {
  const [row] = await runtime.db
    .select({ seq: max(events.seq) })
    .from(events)
    .where(and(eq(events.workspaceId, runtime.workspaceId), inArray(events.type, types)));
  const head = Number(row?.seq ?? 0);
  await waitFor(() => received().some((e) => Number(e.id.split(':')[1]) >= head), { what: `${types.join(', ')} up to the outbox head` });
}

/** A job over `trackIds` marked running, as a worker's claim leaves it (this test plays the worker). */
async function runningJob(runtime: TestRuntime, trackIds: string[]): Promise<string> {
  const { job } = await runtime.log.transaction((tx) => enqueueJob(tx, { workspaceId: runtime.workspaceId, playlistId: null, trackIds, maxAttempts: 3, reason: 'test' }));
  await runtime.db.update(enrichmentJobs).set({ status: 'running', leaseOwner: 'test', leaseExpiresAt: sql`now() + interval '1 hour'` }).where(eq(enrichmentJobs.id, job.id));
  return job.id;
}

async function enrichJobs(runtime: TestRuntime) {
  return runtime.db.select().from(enrichmentJobs).where(and(eq(enrichmentJobs.workspaceId, runtime.workspaceId), eq(enrichmentJobs.kind, 'enrich')));
}

async function allJobsFinished(runtime: TestRuntime): Promise<boolean> {
  return (await enrichJobs(runtime)).every((job) => job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled');
}

describe.each(engines)('track claims on %s', (engine) => {
  test('re-enriching tracks while their playlist job is queued: with two workers each track is enriched once, by one job, moving forward only', async () => {
    const runtime = await runtimeOn(engine, { DEMO_LATENCY_MS: '5', ENRICH_BATCH_SIZE: '4' });
    const second = await secondRuntime(runtime);
    const calls = providerLog();
    watchProviders(runtime, calls);
    if (second !== runtime) watchProviders(second, calls);
    const trackSub = await live(runtime, (c) => c.trackStatus());
    const caller = callerFor(runtime);

    const playlist = await caller.playlists.add({ url: demoPlaylistId(40) });
    const listed = await caller.tracks.list({ playlistId: playlist.id });
    // The playlist's job is queued (no worker yet): re-enrich every third track, one forced job each.
    const chosen = listed.filter((_, i) => i % 3 === 0);
    for (const track of chosen) expect(await caller.tracks.reenrich({ id: track.id })).toMatchObject({ created: true });
    startWorker(runtime, 2);
    startWorker(second, 2);

    await waitFor(() => allJobsFinished(runtime), { what: 'every job finished', timeoutMs: 30_000 });
    await drained(runtime, () => trackSub.events);
    const histories = trackHistories(trackSub.events);
    expect(histories.size).toBe(listed.length);
    for (const [trackId, history] of histories) {
      expect({ trackId, moves: history.moves }).toEqual({ trackId, moves: ['pending->enriching', 'enriching->completed'] });
      expect(history.enriched).toBe(1);
      // One job's events only: no second job ever moved or enriched it.
      expect(history.jobs.size).toBe(1);
      expect(history.continuous).toBe(true);
    }
    // The providers saw each track once per phase, never two calls for one track at once.
    expect(calls.overlapped.size).toBe(0);
    for (const track of listed) {
      expect(calls.catalog.get(track.spotifyId)).toBe(1);
      expect(calls.stats.get(track.spotifyId)).toBe(1);
    }
    // Every job accounts for each track it looked at; together they enriched each track once.
    const jobs = await enrichJobs(runtime);
    expect(jobs).toHaveLength(chosen.length + 1);
    for (const job of jobs) {
      expect(job.status).toBe('completed');
      expect(job.tracksDone + job.tracksFailed + job.tracksSkipped).toBe(job.tracksTotal);
    }
    expect(jobs.reduce((sum, job) => sum + job.tracksDone, 0)).toBe(listed.length);
    expect(jobs.filter((job) => job.force).map((job) => job.id).sort()).toEqual(jobs.filter((job) => job.trackIds).map((job) => job.id).sort());
    // Every claim was released.
    expect(await runtime.db.select({ id: tracks.id }).from(tracks).where(isNotNull(tracks.enrichingJobId))).toEqual([]);
    await trackSub.stop();
  });

  test('two playlists sharing tracks: one job enriches the shared tracks, the other counts them as skipped', async () => {
    const runtime = await runtimeOn(engine, { ENRICH_BATCH_SIZE: '4' });
    const second = await secondRuntime(runtime);
    const caller = callerFor(runtime);
    // Playlist B starts with playlist A's first three tracks, so both jobs' first batches hold them.
    const [idA, idB] = [demoPlaylistId(41), demoPlaylistId(42)];
    const demo = runtime.providers.catalog;
    const shareFirstTracks: CatalogProvider = {
      name: demo.name,
      async getPlaylist(id, signal) {
        const playlist = await demo.getPlaylist(id, signal);
        if (id !== idB) return playlist;
        const shared = (await demo.getPlaylist(idA, signal)).tracks.slice(0, 3);
        return { ...playlist, tracks: [...shared, ...playlist.tracks] };
      },
      getPlaylistFollowers: (id, signal) => demo.getPlaylistFollowers(id, signal),
      getTracks: (ids, signal) => demo.getTracks(ids, signal),
    };
    runtime.providers = { ...runtime.providers, catalog: shareFirstTracks };
    const a = await caller.playlists.add({ url: idA });
    const b = await caller.playlists.add({ url: idB });
    const listedA = await caller.tracks.list({ playlistId: a.id });
    const listedB = await caller.tracks.list({ playlistId: b.id });
    const shared = listedA.filter((track) => listedB.some((other) => other.id === track.id));
    expect(shared.length).toBeGreaterThanOrEqual(3);
    const union = new Set([...listedA, ...listedB].map((track) => track.id));

    // Hold the catalog calls until both jobs have claimed their first batch, so both look at the shared tracks.
    const trackSub = await live(runtime, (c) => c.trackStatus());
    const jobSub = await live(runtime, (c) => c.jobStatus());
    const claimedBoth = () => new Set(ofType(trackSub.events, 'track_status_changed').filter((e) => e.data.to === 'enriching').map((e) => e.data.jobId)).size >= 2;
    const gate = () => waitFor(claimedBoth, { what: 'both jobs claimed a batch' }).then(() => {});
    const calls = providerLog();
    watchProviders(runtime, calls, gate);
    if (second !== runtime) watchProviders(second, calls, gate);
    startWorker(runtime, 1);
    startWorker(second, 1);

    await waitFor(() => allJobsFinished(runtime), { what: 'both jobs finished', timeoutMs: 30_000 });
    await drained(runtime, () => trackSub.events);
    const histories = trackHistories(trackSub.events);
    expect(histories.size).toBe(union.size);
    for (const track of shared) {
      const history = histories.get(track.id)!;
      expect(history.enriched).toBe(1);
      expect(history.jobs.size).toBe(1);
      expect(history.moves).toEqual(['pending->enriching', 'enriching->completed']);
    }
    const jobA = await caller.jobs.get({ id: a.jobId! });
    const jobB = await caller.jobs.get({ id: b.jobId! });
    expect(jobA.tracksSkipped + jobB.tracksSkipped).toBe(shared.length);
    expect(jobA.tracksDone + jobB.tracksDone).toBe(union.size);
    for (const job of [jobA, jobB]) expect(job.tracksDone + job.tracksFailed + job.tracksSkipped).toBe(job.tracksTotal);
    // A job that skipped says so, in its batches and in its final status event.
    await drained(runtime, () => jobSub.events, ['job_status_changed', 'batch_complete']);
    const batches = ofType(jobSub.events, 'batch_complete');
    expect(batches.reduce((sum, e) => sum + (e.data.skipped ?? 0), 0)).toBe(shared.length);
    for (const e of batches) expect(e.data.succeeded + e.data.failed + (e.data.skipped ?? 0)).toBeLessThanOrEqual(4);
    const finished = ofType(jobSub.events, 'job_status_changed').filter((e) => e.data.to === 'completed');
    expect(finished.map((e) => e.data.jobId).sort()).toEqual([jobA.id, jobB.id].sort());
    expect(finished.reduce((sum, e) => sum + (e.data.skipped ?? 0), 0)).toBe(shared.length);
    for (const track of shared) expect(calls.catalog.get(track.spotifyId)).toBe(1);
    await jobSub.stop();
    await trackSub.stop();
  });

  test('freshness: an automatic job skips recently enriched tracks; a forced one re-enriches them and they stay completed', async () => {
    const runtime = await runtimeOn(engine);
    const caller = callerFor(runtime);
    startWorker(runtime, 1);
    const playlist = await caller.playlists.add({ url: demoPlaylistId(43) });
    await waitFor(() => allJobsFinished(runtime), { what: 'the first enrichment' });
    const listed = await caller.tracks.list({ playlistId: playlist.id });
    const trackIds = listed.map((track) => track.id);
    const calls = providerLog();
    watchProviders(runtime, calls);
    const trackSub = await live(runtime, (c) => c.trackStatus({ playlistId: playlist.id }));
    const run = async (force: boolean) => {
      const { job } = await runtime.log.transaction((tx) =>
        enqueueJob(tx, { workspaceId: runtime.workspaceId, playlistId: playlist.id, trackIds, maxAttempts: 3, reason: 'test', force }),
      );
      await waitFor(async () => (await caller.jobs.get({ id: job.id })).status === 'completed', { what: `the ${force ? 'forced' : 'automatic'} job` });
      return caller.jobs.get({ id: job.id });
    };

    const automatic = await run(false);
    expect(automatic).toMatchObject({ force: false, tracksTotal: listed.length, tracksSkipped: listed.length, tracksDone: 0 });
    expect(calls.catalog.size).toBe(0);

    const forced = await run(true);
    expect(forced).toMatchObject({ force: true, tracksSkipped: 0, tracksDone: listed.length });
    expect(calls.catalog.size).toBe(listed.length);

    // Enriched longer ago than TRACK_FRESHNESS_MS: an automatic job enriches them again.
    await runtime.db.update(tracks).set({ enrichedAt: sql`now() - interval '2 days'` }).where(inArray(tracks.id, trackIds));
    const stale = await run(false);
    expect(stale).toMatchObject({ tracksSkipped: 0, tracksDone: listed.length });
    const refreshed = await caller.tracks.list({ playlistId: playlist.id });
    expect(refreshed.every((track) => Date.parse(track.enrichedAt!) > Date.now() - 3_600_000)).toBe(true);

    await drained(runtime, () => trackSub.events);
    // Both re-runs kept the tracks completed (no status moved) and announced the new data.
    expect(ofType(trackSub.events, 'track_status_changed')).toEqual([]);
    expect(ofType(trackSub.events, 'track_enriched')).toHaveLength(listed.length * 2);
    await trackSub.stop();
  });

  test('a cancelled job puts back only the tracks it holds, not one another running job is enriching', async () => {
    const runtime = await runtimeOn(engine);
    const caller = callerFor(runtime);
    const playlist = await caller.playlists.add({ url: demoPlaylistId(44) });
    const listed = await caller.tracks.list({ playlistId: playlist.id });
    const [first, ...rest] = listed.map((track) => track.id);
    // Two running jobs, as two workers would hold them: one claimed the first track, the other the rest.
    const holder = await runningJob(runtime, [first!]);
    const cancelled = await runningJob(runtime, [first!, ...rest]);
    await runtime.db.update(tracks).set({ enrichmentStatus: 'enriching', enrichingJobId: holder }).where(eq(tracks.id, first!));
    await runtime.db.update(tracks).set({ enrichmentStatus: 'enriching', enrichingJobId: cancelled }).where(inArray(tracks.id, rest));
    const trackSub = await live(runtime, (c) => c.trackStatus());
    await runtime.log.transaction(async (tx) => markCancelled(tx, await lockJob(tx, runtime.workspaceId, cancelled), 'running'));
    await drained(runtime, () => trackSub.events);
    expect(ofType(trackSub.events, 'track_status_changed').map((e) => `${e.data.trackId}:${e.data.from}->${e.data.to}`).sort()).toEqual(
      rest.map((id) => `${id}:enriching->pending`).sort(),
    );
    const rows = await runtime.db.select().from(tracks).where(inArray(tracks.id, [first!, ...rest]));
    expect(rows.find((row) => row.id === first)).toMatchObject({ enrichmentStatus: 'enriching', enrichingJobId: holder });
    expect(rows.filter((row) => row.id !== first).every((row) => row.enrichmentStatus === 'pending' && row.enrichingJobId === null)).toBe(true);
    await trackSub.stop();
  });
});

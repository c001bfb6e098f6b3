/**
 * The whole pipeline through the real worker, seen through the real subscriptions (procedure
 * level): adding a demo playlist makes its job go queued -> running -> phases 1-4 -> completed,
 * with every track's transitions, batches, stats progress, metrics and analytics arriving live.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { playlistMetricSnapshots, playlists } from '~/server/db/schema';
import { pollFollowersOnce } from '~/server/metrics/poll-followers';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import { callerFor } from '../support/caller';
import { waitFor } from '../support/iterate';
import type { TestRuntime } from '../support/runtime';
import { jobTransitions, ofType, pipelineRuntime, startWorker, live } from './support';

let runtime: TestRuntime | undefined;
afterEach(async () => {
  await runtime?.dispose();
  runtime = undefined;
});

describe('adding a demo playlist runs the whole pipeline', () => {
  test('every event type arrives through the subscriptions, in order', async () => {
    runtime = await pipelineRuntime();
    const rt = runtime;
    const jobs = await live(rt, (c) => c.jobStatus());
    const trackSub = await live(rt, (c) => c.trackStatus());
    const activity = await live(rt, (c) => c.activityFeed());
    const updates = await live(rt, (c) => c.playlistUpdates());
    await waitFor(() => jobs.messages.length && trackSub.messages.length && activity.messages.length && updates.messages.length, { what: 'snapshots' });
    startWorker(rt);

    const spotifyId = demoPlaylistId(1);
    const added = await callerFor(rt).playlists.add({ url: `https://open.spotify.com/playlist/${spotifyId}?si=abc123` });
    expect(added.created).toBe(true);
    expect(added.spotifyId).toBe(spotifyId);
    const trackCount = demoPlaylistTracks(spotifyId).length;
    expect(added.trackCount).toBe(trackCount);
    const jobId = added.jobId!;
    expect(jobId).toBeTruthy();

    await waitFor(() => jobTransitions(jobs.events, jobId).includes('running->completed'), { what: 'job completed' });
    expect(jobTransitions(jobs.events, jobId)).toEqual(['none->queued', 'queued->running', 'running->completed']);

    const phases = ofType(jobs.events, 'enrichment_phase').map((e) => `${e.data.phase}:${e.data.name}:${e.data.state}`);
    expect(phases).toEqual([
      '1:catalog:started',
      '1:catalog:completed',
      '2:credits:started',
      '2:credits:completed',
      '3:stats:started',
      '3:stats:completed',
      '4:rights:started',
      '4:rights:completed',
    ]);
    const batches = ofType(jobs.events, 'batch_complete');
    expect(batches).toHaveLength(Math.ceil(trackCount / 10) * 4);
    for (const phase of [1, 2, 3, 4]) {
      expect(batches.filter((b) => b.data.phase === phase).at(-1)!.data).toMatchObject({ done: trackCount, total: trackCount, failed: 0 });
    }

    // chartmetric_progress is volatile (conflated): the final value always arrives.
    await waitFor(() => ofType(jobs.events, 'chartmetric_progress').at(-1)?.data.done === trackCount, { what: 'final chartmetric_progress' });

    await waitFor(() => ofType(trackSub.events, 'track_enriched').length === trackCount, { what: 'every track_enriched' });
    const transitions = ofType(trackSub.events, 'track_status_changed');
    const byTrack = new Map<string, string[]>();
    for (const e of transitions) byTrack.set(e.data.trackId, [...(byTrack.get(e.data.trackId) ?? []), `${e.data.from}->${e.data.to}`]);
    expect(byTrack.size).toBe(trackCount);
    for (const moves of byTrack.values()) expect(moves).toEqual(['pending->enriching', 'enriching->completed']);
    const enriched = ofType(trackSub.events, 'track_enriched')[0]!;
    expect(enriched.data.found.isrc).toMatch(/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/);
    expect(enriched.data.found.songwriters!.length).toBeGreaterThan(0);
    expect(enriched.data.found.streams).toBeGreaterThan(0);
    expect(['published', 'unpublished', 'unknown']).toContain(enriched.data.found.publisherStatus);
    // Durable events arrive in outbox order.
    const seqs = trackSub.events.map((e) => Number(e.id.split(':')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    await waitFor(() => ofType(updates.events, 'metric_update').at(-1)?.data.metrics.enriched === trackCount, { what: 'final metric_update' });
    expect(ofType(updates.events, 'metric_update').at(-1)!.data.metrics).toMatchObject({ trackCount, failed: 0, enrichedShare: 1 });
    const created = ofType(updates.events, 'playlist_updated')[0]!;
    expect(created.data).toMatchObject({ playlistId: added.id, spotifyId, removed: false, changes: { trackCount } });
    await waitFor(() => ofType(updates.events, 'analytics_updated').at(-1)?.data.analytics.tracksByStatus.completed === trackCount, {
      what: 'analytics refreshed after the job',
    });

    await waitFor(() => ofType(activity.events, 'activity_logged').some((e) => e.data.kind === 'job_completed'), { what: 'job_completed activity' });
    const kinds = ofType(activity.events, 'activity_logged').map((e) => e.data.kind);
    expect(kinds).toEqual(['playlist_added', 'job_queued', 'job_completed']);

    const stored = await callerFor(rt).tracks.list({ playlistId: added.id });
    expect(stored.every((t) => t.enrichmentStatus === 'completed' && t.isrc && t.label && t.streams != null && t.rightsCheckedAt !== null)).toBe(true);
    for (const sub of [jobs, trackSub, activity, updates]) await sub.stop();
  });

  test('adding it again returns the tracked playlist without a refetch or a second job', async () => {
    runtime = await pipelineRuntime();
    const caller = callerFor(runtime);
    const first = await caller.playlists.add({ url: `spotify:playlist:${demoPlaylistId(2)}` });
    const again = await caller.playlists.add({ url: demoPlaylistId(2) });
    expect(again).toMatchObject({ id: first.id, created: false, jobId: null });
    expect(await caller.jobs.list({ playlistId: first.id })).toHaveLength(1);
  });

  test('playlists that share tracks share the track rows', async () => {
    runtime = await pipelineRuntime();
    const caller = callerFor(runtime);
    const ids = [3, 4, 5, 6, 7, 8].map(demoPlaylistId);
    for (const id of ids) await caller.playlists.add({ url: id });
    const distinct = new Set(ids.flatMap((id) => demoPlaylistTracks(id).map((t) => t.spotifyId)));
    expect((await caller.tracks.list({})).length).toBe(distinct.size);
  });
});

describe('bad playlists', () => {
  test('unparseable input, an unknown playlist and a restricted one: typed errors and playlist_error events, nothing stored', async () => {
    runtime = await pipelineRuntime();
    const caller = callerFor(runtime);
    const updates = await live(runtime, (c) => c.playlistUpdates());

    await expect(caller.playlists.add({ url: 'https://example.com/not-a-playlist' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('is not a Spotify playlist') });
    await expect(caller.playlists.add({ url: 'DemoMissing00000000001' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('check the link') });
    await expect(caller.playlists.add({ url: 'DemoLocked000000000001' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('development mode') });

    await waitFor(() => ofType(updates.events, 'playlist_error').length === 3, { what: 'three playlist_error events' });
    expect(ofType(updates.events, 'playlist_error').map((e) => e.data.code)).toEqual(['INVALID_PLAYLIST_REF', 'PLAYLIST_NOT_FOUND', 'PLAYLIST_RESTRICTED']);
    expect(await caller.playlists.list()).toHaveLength(0);
    expect(await caller.jobs.list()).toHaveLength(0);
    await updates.stop();
  });

  test('a restricted playlist whose tracks the stats provider lists is added through the fallback', async () => {
    runtime = await pipelineRuntime();
    const added = await callerFor(runtime).playlists.add({ url: 'DemoPrivate00000000001', name: 'Private picks' });
    expect(added).toMatchObject({ created: true, name: 'Private picks', trackCount: demoPlaylistTracks('DemoPrivate00000000001').length });
    expect(added.jobId).toBeTruthy();
  });

  test('refresh of a playlist whose fetch fails records playlist_error on it and keeps what was stored', async () => {
    runtime = await pipelineRuntime();
    const caller = callerFor(runtime);
    const added = await caller.playlists.add({ url: demoPlaylistId(9) });
    const updates = await live(runtime, (c) => c.playlistUpdates({ playlistId: added.id }));
    const real = runtime.providers.catalog;
    runtime.providers.catalog = { ...real, name: real.name, getPlaylist: async () => { throw new (await import('~/server/providers/types')).ProviderError('test', 'BAD_RESPONSE', 'The catalog answered with HTML instead of JSON.'); }, getPlaylistFollowers: real.getPlaylistFollowers.bind(real), getTracks: real.getTracks.bind(real) };
    await expect(caller.playlists.refresh({ id: added.id })).rejects.toMatchObject({ code: 'BAD_GATEWAY' });
    await waitFor(() => ofType(updates.events, 'playlist_error').length === 1, { what: 'playlist_error' });
    expect(ofType(updates.events, 'playlist_error')[0]!.data).toMatchObject({ playlistId: added.id, code: 'PROVIDER_FAILED' });
    const stored = await caller.playlists.get({ id: added.id });
    expect(stored).toMatchObject({ trackCount: added.trackCount, lastErrorCode: 'PROVIDER_FAILED' });
    await updates.stop();
  });

  test('refresh, remove and unknown ids', async () => {
    runtime = await pipelineRuntime();
    const caller = callerFor(runtime);
    const added = await caller.playlists.add({ url: demoPlaylistId(10) });
    const updates = await live(runtime, (c) => c.playlistUpdates({ playlistId: added.id }));
    const refreshed = await caller.playlists.refresh({ id: added.id });
    expect(refreshed).toMatchObject({ id: added.id, trackCount: added.trackCount, lastErrorCode: null });
    // The first job is still queued: refresh reuses it instead of queueing a second one.
    expect(refreshed.jobId).toBe(added.jobId);
    await caller.playlists.remove({ id: added.id });
    await waitFor(() => ofType(updates.events, 'playlist_updated').some((e) => e.data.removed), { what: 'removed playlist_updated' });
    expect(await caller.jobs.get({ id: added.jobId! }).catch((e: { code: string }) => e.code)).toBe('NOT_FOUND');
    expect(await caller.tracks.list({})).toHaveLength(0);
    await expect(caller.playlists.refresh({ id: added.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.playlists.remove({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await updates.stop();
  });
});

describe('tracks and pollers', () => {
  test('a failing track is marked failed with its reason; the batch and the job go on', async () => {
    runtime = await pipelineRuntime();
    const rt = runtime;
    const spotifyId = demoPlaylistId(11);
    const victim = demoPlaylistTracks(spotifyId)[3]!.spotifyId;
    const { ProviderError } = await import('~/server/providers/types');
    const stats = rt.providers.stats;
    rt.providers.stats = {
      name: 'flaky-stats',
      getTrackStats: async (track, signal) => {
        if (track.spotifyId === victim) throw new ProviderError('flaky-stats', 'BAD_RESPONSE', 'The stats answer for this track was not valid JSON.');
        return stats.getTrackStats(track, signal);
      },
    };
    const trackSub = await live(rt, (c) => c.trackStatus());
    const jobs = await live(rt, (c) => c.jobStatus());
    startWorker(rt);
    const added = await callerFor(rt).playlists.add({ url: spotifyId });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'job completed' });
    const failed = ofType(trackSub.events, 'track_status_changed').filter((e) => e.data.to === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data.error).toContain('not valid JSON');
    expect(ofType(trackSub.events, 'track_enriched')).toHaveLength(added.trackCount - 1);
    const job = await callerFor(rt).jobs.get({ id: added.jobId! });
    expect(job).toMatchObject({ status: 'completed', tracksDone: added.trackCount - 1, tracksFailed: 1 });
    await trackSub.stop();
    await jobs.stop();
  });

  test('tracks.reenrich runs one track through the same path', async () => {
    runtime = await pipelineRuntime();
    const rt = runtime;
    startWorker(rt);
    const jobs = await live(rt, (c) => c.jobStatus());
    const added = await callerFor(rt).playlists.add({ url: demoPlaylistId(12) });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'first job' });
    const [track] = await callerFor(rt).tracks.list({ playlistId: added.id, limit: 1 });
    const trackSub = await live(rt, (c) => c.trackStatus({ trackIds: [track!.id] }));
    const { jobId } = await callerFor(rt).tracks.reenrich({ id: track!.id });
    await waitFor(() => jobTransitions(jobs.events, jobId).includes('running->completed'), { what: 're-enrich job' });
    await waitFor(() => ofType(trackSub.events, 'track_enriched').length === 1, { what: 'track_enriched' });
    expect(ofType(trackSub.events, 'track_status_changed').map((e) => `${e.data.from}->${e.data.to}`)).toEqual([
      'completed->pending',
      'pending->enriching',
      'enriching->completed',
    ]);
    await expect(callerFor(rt).tracks.reenrich({ id: 'missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await trackSub.stop();
    await jobs.stop();
  });

  test('the follower poller records a snapshot and publishes follower_count_changed only on change', async () => {
    runtime = await pipelineRuntime();
    const added = await callerFor(runtime).playlists.add({ url: demoPlaylistId(13) });
    await runtime.db.update(playlists).set({ followers: 1 }).where(eq(playlists.id, added.id));
    const updates = await live(runtime, (c) => c.playlistUpdates({ playlistId: added.id }));
    await waitFor(() => updates.messages.length > 0, { what: 'snapshot' });
    expect(await pollFollowersOnce(runtime)).toBe(1);
    const changed = await waitFor(() => ofType(updates.events, 'follower_count_changed')[0], { what: 'follower_count_changed' });
    expect(changed.data.previous).toBe(1);
    expect(changed.data.followers).toBeGreaterThan(1);
    const snapshots = await runtime.db.select().from(playlistMetricSnapshots).where(eq(playlistMetricSnapshots.playlistId, added.id));
    expect(snapshots.map((s) => s.followers)).toEqual([changed.data.followers]);
    // Unless the demo's follower tick turned over in between, nothing changed: nothing is published.
    const again = await pollFollowersOnce(runtime);
    expect(again === 0 || again === 1).toBe(true);
    if (again === 0) expect(await runtime.db.select().from(playlistMetricSnapshots)).toHaveLength(1);
    await updates.stop();
  });
});

/**
 * tracks.detail, tracks.note, tracks.reenrich (with phases) and tracks.reenrichMany through the
 * real procedures; the track's history as the real worker writes it (enriched, failed) alongside
 * what people do (notes, tags, re-enrich requests) and what refreshes record (added, dropped).
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { activity, enrichmentJobs, events, playlistTrackChanges, trackHistory, tracks } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { ProviderError } from '~/server/providers/types';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { demoPlaylistTracks } from '~/server/providers/demo/demo-catalog';
import { createWorkspace } from '../support/accounts';
import { waitFor } from '../support/iterate';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { jobTransitions, live, pipelineRuntime, startWorker } from '../enrichment/support';
import { apiKeyOf, callerAs, explorerStream, outcomeOf, personIn, seedPlaylist, seedTracks, type Person } from './support';

const noted = (list: readonly Envelope[]) => list.filter((e) => e.type === 'track_noted') as Envelope<'track_noted'>[];

describe.each(engines)('track detail on %s', (engine) => {
  let runtime: TestRuntime;
  let member: Person;

  beforeAll(async () => {
    runtime = await createTestRuntime({ engine });
    member = await personIn(runtime, runtime.workspaceId, 'member', 'Noting member');
  });
  afterAll(() => runtime.dispose());

  test('the track in full, its playlists with position and added time, its tags, its history newest first', async () => {
    const c = callerAs(runtime, member);
    const [id, other] = await seedTracks(runtime, runtime.workspaceId, 2, 'Detailed');
    await runtime.db.update(tracks).set({ isrc: 'USRC17607839', label: 'Label A', durationMs: 201_000, explicit: true, streams: 1_234_567 }).where(eq(tracks.id, id!));
    const b = await seedPlaylist(runtime, runtime.workspaceId, 'b playlist', [other!, id!]);
    const a = await seedPlaylist(runtime, runtime.workspaceId, 'A playlist', [id!]);
    const tag = await c.tags.create({ name: 'Detail tag', color: 'emerald' });
    await c.tags.tagTracks({ tagId: tag.id, trackIds: [id!] });
    const note = await c.tracks.note({ id: id!, message: '  Pitched to the label  ' });

    const detail = await c.tracks.detail({ id: id! });
    expect(detail.track).toMatchObject({
      id,
      name: 'Detailed 1',
      artist: 'Detailed Artist',
      isrc: 'USRC17607839',
      label: 'Label A',
      durationMs: 201_000,
      explicit: true,
      streams: 1_234_567,
      playlistReach: null,
      enrichmentStatus: 'pending',
      playlists: [
        { id: a, name: 'A playlist' },
        { id: b, name: 'b playlist' },
      ],
      tags: [{ id: tag.id, name: 'Detail tag', color: 'emerald' }],
    });
    // The rights columns (phase 4) are there, empty until the rights phase runs.
    expect(detail.track).toMatchObject({ workCode: null, iswc: null, writers: null, publishers: null, publisherStatus: 'unknown' });
    expect(detail.track).not.toHaveProperty('enrichingJobId');
    expect(detail.track).not.toHaveProperty('workspaceId');
    expect(detail.playlists.map((p) => [p.name, p.position])).toEqual([
      ['A playlist', 0],
      ['b playlist', 1],
    ]);
    expect(Number.isNaN(Date.parse(detail.playlists[0]!.addedAt))).toBe(false);
    expect(detail.history.slice(0, 2).map((h) => [h.kind, h.message, h.by, h.byName])).toEqual([
      ['note', 'Pitched to the label', member.userId, member.name],
      ['tagged', 'Tagged "Detail tag".', member.userId, member.name],
    ]);
    expect(detail.history[0]).toEqual(note);

    expect((await outcomeOf(() => c.tracks.detail({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
  });

  test('membership changes from the playlists\' record show as added and dropped', async () => {
    const c = callerAs(runtime, member);
    const [id] = await seedTracks(runtime, runtime.workspaceId, 1, 'Moving');
    const playlistId = await seedPlaylist(runtime, runtime.workspaceId, 'Weekly chart', []);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await runtime.db.insert(playlistTrackChanges).values([
      { workspaceId: runtime.workspaceId, playlistId, trackId: id!, change: 'added', position: 4, at: at(30) },
      { workspaceId: runtime.workspaceId, playlistId, trackId: id!, change: 'dropped', position: null, at: at(20) },
    ]);
    await c.tracks.note({ id: id!, message: 'Back next week?' });
    const { history } = await c.tracks.detail({ id: id! });
    expect(history.map((h) => [h.kind, h.message, h.playlistId])).toEqual([
      ['note', 'Back next week?', null],
      ['dropped', 'Dropped from "Weekly chart".', playlistId],
      ['added', 'Added to "Weekly chart" at position 5.', playlistId],
    ]);
    expect(new Set(history.map((h) => h.id)).size).toBe(3);
  });

  test('the history holds the newest 200 entries', async () => {
    const [id] = await seedTracks(runtime, runtime.workspaceId, 1, 'Busy');
    await runtime.db.insert(trackHistory).values(
      Array.from({ length: 230 }, (_, i) => ({ workspaceId: runtime.workspaceId, trackId: id!, kind: 'note' as const, message: `note ${i}`, at: new Date(Date.UTC(2025, 0, 1, 0, i)) })),
    );
    const { history } = await callerAs(runtime, member).tracks.detail({ id: id! });
    expect(history).toHaveLength(200);
    expect(history[0]!.message).toBe('note 229');
    expect(history.at(-1)!.message).toBe('note 30');
  });

  test('tracks.note: a history item, a track_noted event on the explorer stream, an activity line', async () => {
    const stream = await explorerStream(runtime, member);
    const c = callerAs(runtime, member);
    const [id] = await seedTracks(runtime, runtime.workspaceId, 1, 'Noted');
    const item = await c.tracks.note({ id: id!, message: 'Credits disputed' });
    expect(item).toMatchObject({ kind: 'note', message: 'Credits disputed', jobId: null, playlistId: null, by: member.userId, byName: member.name });
    await waitFor(() => noted(stream.events).some((e) => e.data.trackId === id), { what: 'track_noted' });
    const event = noted(stream.events).find((e) => e.data.trackId === id)!;
    expect(event.keys).toEqual({ trackId: id });
    expect(event.data).toEqual({ trackId: id, itemId: item.id, message: 'Credits disputed', by: member.userId, at: item.at });
    const [line] = (await c.activity.list({ limit: 1 })).items;
    expect(line).toMatchObject({ kind: 'track_note', message: 'Note on "Noted 1" (Noted Artist): Credits disputed', trackId: id });

    const keyNote = await callerAs(runtime, apiKeyOf(runtime.workspaceId)).tracks.note({ id: id!, message: 'from a script' });
    expect(keyNote).toMatchObject({ by: null, byName: null });
    expect((await outcomeOf(() => c.tracks.note({ id: id!, message: '   ' }))).message).toContain('Write something in the note');
    expect((await outcomeOf(() => c.tracks.note({ id: id!, message: 'x'.repeat(2001) }))).message).toContain('2,000 characters');
    expect((await outcomeOf(() => c.tracks.note({ id: crypto.randomUUID(), message: 'lost' }))).code).toBe('NOT_FOUND');
    await stream.stop();
  });

  test('tracks.reenrichMany: one forced job over exactly those tracks, with the phases asked for; each track\'s history records the request', async () => {
    const c = callerAs(runtime, member);
    const ids = await seedTracks(runtime, runtime.workspaceId, 3, 'Again');
    await runtime.db.update(tracks).set({ enrichmentStatus: 'completed', enrichedAt: new Date() }).where(eq(tracks.id, ids[0]!));
    await runtime.db.update(tracks).set({ enrichmentStatus: 'failed', enrichmentError: 'earlier' }).where(eq(tracks.id, ids[1]!));
    const { jobId } = await c.tracks.reenrichMany({ trackIds: [ids[2]!, ids[0]!, ids[1]!, ids[0]!], phases: [3, 1] });
    const [job] = await runtime.db.select().from(enrichmentJobs).where(eq(enrichmentJobs.id, jobId));
    expect(job).toMatchObject({ status: 'queued', force: true, phases: [1, 3], trackIds: [...ids].sort(), playlistId: null });
    const statuses = await runtime.db.select({ id: tracks.id, status: tracks.enrichmentStatus }).from(tracks).where(inArray(tracks.id, ids));
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [ids[0]!]: 'pending', [ids[1]!]: 'pending', [ids[2]!]: 'pending' });
    const { history } = await c.tracks.detail({ id: ids[1]! });
    expect(history[0]).toMatchObject({ kind: 'reenrich_requested', message: 'Re-enrichment requested (catalog and stats).', jobId, by: member.userId });
    // Asked again while that job waits: the same job, no second request in the history.
    expect((await c.tracks.reenrichMany({ trackIds: ids, phases: [1, 3] })).jobId).toBe(jobId);
    expect((await c.tracks.detail({ id: ids[1]! })).history.filter((h) => h.kind === 'reenrich_requested')).toHaveLength(1);
  });

  test('tracks.reenrichMany refuses, writing nothing: an unknown or foreign id (NOT_FOUND), a phase that does not exist, too many tracks', async () => {
    const c = callerAs(runtime, member);
    const [mine] = await seedTracks(runtime, runtime.workspaceId, 1, 'Refused');
    const [theirs] = await seedTracks(runtime, await createWorkspace(runtime, 'Elsewhere'), 1, 'Foreign');
    const count = async () => [(await runtime.db.select().from(enrichmentJobs)).length, (await runtime.db.select().from(events)).length];
    const before = await count();
    for (const trackIds of [[mine!, theirs!], [mine!, 'missing-track']]) {
      const refused = await outcomeOf(() => c.tracks.reenrichMany({ trackIds }));
      expect(refused.code).toBe('NOT_FOUND');
      expect(refused.message).toMatch(/^1 track of the 2 asked for was not found in this workspace \(.+\); nothing was queued\.$/);
    }
    expect((await outcomeOf(() => c.tracks.reenrichMany({ trackIds: [mine!], phases: [5 as 1] }))).message).toContain('phases are among 1, 2, 3, 4');
    expect((await outcomeOf(() => c.tracks.reenrichMany({ trackIds: [mine!], phases: [] }))).code).toBe('BAD_REQUEST');
    expect((await outcomeOf(() => c.tracks.reenrichMany({ trackIds: [] }))).code).toBe('BAD_REQUEST');
    expect((await outcomeOf(() => c.tracks.reenrichMany({ trackIds: Array.from({ length: 5001 }, (_, i) => `t${i}`) }))).message).toContain('at most 5,000');
    expect((await outcomeOf(() => c.tracks.reenrich({ id: mine!, phases: [0 as 1] }))).code).toBe('BAD_REQUEST');
    expect(await count()).toEqual(before);
  });

  test('tracks.reenrich takes phases too, and records the request', async () => {
    const c = callerAs(runtime, member);
    const [id] = await seedTracks(runtime, runtime.workspaceId, 1, 'Single');
    const { jobId } = await c.tracks.reenrich({ id: id!, phases: [2] });
    const [job] = await runtime.db.select().from(enrichmentJobs).where(eq(enrichmentJobs.id, jobId));
    expect(job).toMatchObject({ phases: [2], trackIds: [id], force: true });
    expect((await c.tracks.detail({ id: id! })).history[0]).toMatchObject({ kind: 'reenrich_requested', message: 'Re-enrichment requested (credits).', jobId });
    const activityRows = await runtime.db.select().from(activity).where(eq(activity.jobId, jobId));
    expect(activityRows.map((a) => a.kind)).toEqual(['job_queued']);
  });
});

describe.each(engines)('history written by the real worker on %s', (engine) => {
  let runtime: TestRuntime | undefined;
  afterEach(async () => {
    await runtime?.dispose();
    runtime = undefined;
  });

  test('enriched and failed tracks, then a re-enrich: each step in the track\'s history with its job', async () => {
    runtime = await pipelineRuntime({ engine });
    const rt = runtime;
    const member = await personIn(rt, rt.workspaceId, 'member', 'Worker watcher');
    const spotifyId = demoPlaylistId(21);
    const victim = demoPlaylistTracks(spotifyId)[2]!.spotifyId;
    const stats = rt.providers.stats;
    let flaky = true;
    rt.providers.stats = {
      name: 'flaky-stats',
      getTrackStats: async (track, signal) => {
        if (flaky && track.spotifyId === victim) throw new ProviderError('flaky-stats', 'BAD_RESPONSE', 'The stats answer for this track was not valid JSON.');
        return stats.getTrackStats(track, signal);
      },
    };
    const jobs = await live(rt, (c) => c.jobStatus());
    startWorker(rt);
    const c = callerAs(rt, member);
    const added = await c.playlists.add({ url: spotifyId });
    await waitFor(() => jobTransitions(jobs.events, added.jobId!).includes('running->completed'), { what: 'the playlist job' });

    const onPlaylist = await c.tracks.list({ playlistId: added.id });
    const failedTrack = onPlaylist.find((t) => t.spotifyId === victim)!;
    const goodTrack = onPlaylist.find((t) => t.spotifyId !== victim)!;
    const good = await c.tracks.detail({ id: goodTrack.id });
    const enriched = good.history.filter((h) => h.kind === 'enriched');
    expect(enriched).toHaveLength(1);
    expect(enriched[0]).toMatchObject({ jobId: added.jobId, playlistId: added.id, by: null });
    expect(enriched[0]!.message).toMatch(/^Enriched: ISRC \w+/);
    const bad = await c.tracks.detail({ id: failedTrack.id });
    const failed = bad.history.filter((h) => h.kind === 'failed');
    expect(failed.map((h) => h.jobId)).toEqual([added.jobId]);
    expect(failed[0]!.message).toMatch(/^Enrichment failed: .*The stats answer for this track was not valid JSON\.$/);

    flaky = false;
    const { jobId } = await c.tracks.reenrich({ id: failedTrack.id });
    await waitFor(() => jobTransitions(jobs.events, jobId).includes('running->completed'), { what: 'the re-enrich job' });
    const after = await c.tracks.detail({ id: failedTrack.id });
    expect(after.track.enrichmentStatus).toBe('completed');
    expect(after.history.filter((h) => h.jobId !== null && h.kind !== 'added').map((h) => [h.kind, h.jobId])).toEqual([
      ['enriched', jobId],
      ['reenrich_requested', jobId],
      ['failed', added.jobId],
    ]);
    await jobs.stop();
    // Two jobs through every phase: generous on a busy shared machine (timings are not what this checks).
  }, 90_000);
});

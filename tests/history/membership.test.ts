/**
 * Every write of a playlist's membership records its diff (history/record-membership-changes.ts):
 * a first fetch (added by hand, or by an import's fetch) records every track added; a refresh by
 * hand records what was dropped and added, keeps the membership rows of the tracks that stayed,
 * and publishes playlist_tracks_changed through the real playlistUpdates subscription.
 * tracks.first_seen_at is the track's first add in the workspace.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { activity, playlistTrackChanges } from '~/server/db/schema';
import type { Envelope } from '~/server/events/catalog';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { callerFor, subscribe } from '../support/caller';
import { waitFor } from '../support/iterate';
import { engines } from '../support/runtime';
import { live, ofType } from '../enrichment/support';
import { startFetchWorker, waitForFinished } from '../imports/support';
import { changeRows, firstSeen, idsOf, membershipRows, mondayOf, runtimePerTest, scriptedCatalog, trackIdsBySpotifyId, without } from './support';

const runtime = runtimePerTest();

const membershipEvents = (events: Envelope[], playlistId: string) => ofType(events, 'playlist_tracks_changed').filter((e) => e.keys.playlistId === playlistId);

describe.each(engines)('membership changes on %s', (engine) => {
  test('the first fetch is the baseline (nothing recorded or announced); a refresh by hand records the diff and keeps the rows of tracks that stayed', async () => {
    const rt = await runtime.start({ engine });
    const script = scriptedCatalog(rt);
    const updates = await live(rt, (c) => c.playlistUpdates());
    const spotifyId = demoPlaylistId(1);
    const v0 = script.tracksAt(spotifyId, 0);
    const v1 = script.tracksAt(spotifyId, 1);

    const { id: playlistId } = await callerFor(rt).playlists.add({ url: spotifyId });
    const ids = await trackIdsBySpotifyId(rt, rt.workspaceId);
    const before = new Map((await membershipRows(rt, playlistId)).map((row) => [row.trackId, row.addedAt.getTime()]));
    expect([...before.keys()]).toEqual(idsOf(v0, ids));
    const recorded = await changeRows(rt, playlistId);
    expect(recorded).toEqual([]);
    // Each track was first seen when the baseline stored it.
    for (const [trackId, addedAt] of before) expect((await firstSeen(rt, trackId)).getTime()).toBe(addedAt);

    script.setVersion(1);
    const refreshed = await callerFor(rt).playlists.refresh({ id: playlistId });
    expect(refreshed.trackCount).toBe(v1.length);
    const after = await trackIdsBySpotifyId(rt, rt.workspaceId);
    const added = without(idsOf(v1, after), idsOf(v0, ids));
    const dropped = without(idsOf(v0, ids), idsOf(v1, after));
    expect(added.length).toBeGreaterThanOrEqual(1);
    expect(added.length).toBeLessThanOrEqual(3);
    expect(dropped).toHaveLength(added.length);
    const second = await waitFor(() => membershipEvents(updates.events, playlistId)[0], { what: 'the refresh playlist_tracks_changed' });
    expect(second.data).toEqual({ playlistId, added, dropped, week: mondayOf(new Date()) });
    // The baseline announced nothing: this is the playlist's first membership event.
    expect(membershipEvents(updates.events, playlistId)).toHaveLength(1);

    // Rows: the fetched order; the tracks that stayed keep their added_at, the new ones are newer.
    const members = await membershipRows(rt, playlistId);
    expect(members.map((row) => row.trackId)).toEqual(idsOf(v1, after));
    for (const row of members) {
      if (before.has(row.trackId)) expect(row.addedAt.getTime()).toBe(before.get(row.trackId));
      else expect(row.addedAt.getTime()).toBeGreaterThan(Math.max(...before.values()));
    }
    const diff = (await changeRows(rt, playlistId)).slice(recorded.length);
    const v0Ids = idsOf(v0, ids);
    const v1Ids = idsOf(v1, after);
    expect(diff.filter((row) => row.change === 'dropped').map((row) => [row.trackId, row.position])).toEqual(dropped.map((id) => [id, v0Ids.indexOf(id)]));
    expect(diff.filter((row) => row.change === 'added').map((row) => [row.trackId, row.position])).toEqual(added.map((id) => [id, v1Ids.indexOf(id)]));
    const [logged] = await rt.db.select({ message: activity.message }).from(activity).where(eq(activity.kind, 'playlist_refreshed'));
    expect(logged!.message).toContain(`${added.length} added, ${dropped.length} dropped`);

    // The same tracks again: nothing recorded, no event.
    await callerFor(rt).playlists.refresh({ id: playlistId });
    await callerFor(rt).playlists.refresh({ id: playlistId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(membershipEvents(updates.events, playlistId)).toHaveLength(1);
    expect(await changeRows(rt, playlistId)).toHaveLength(diff.length);
    await updates.stop();
  });

  test("first_seen_at is when the workspace first stored the track: another playlist, or a drop and a re-add, leave it", async () => {
    const rt = await runtime.start({ engine });
    const script = scriptedCatalog(rt);
    const [a, b] = [demoPlaylistId(1), demoPlaylistId(2)];
    const tracksA = script.tracksAt(a);
    const shared = tracksA[0]!;
    const { id: playlistA } = await callerFor(rt).playlists.add({ url: a });
    let ids = await trackIdsBySpotifyId(rt, rt.workspaceId);
    const sharedId = ids.get(shared.spotifyId)!;
    const seenFirst = await firstSeen(rt, sharedId);

    // B holds the shared track and a new one.
    const fresh = script.tracksAt(b).find((ref) => !ids.has(ref.spotifyId))!;
    script.setTracks(b, [fresh, shared]);
    const { id: playlistB } = await callerFor(rt).playlists.add({ url: b });
    ids = await trackIdsBySpotifyId(rt, rt.workspaceId);
    expect((await firstSeen(rt, sharedId)).getTime()).toBe(seenFirst.getTime());
    const freshRow = (await membershipRows(rt, playlistB)).find((row) => row.trackId === ids.get(fresh.spotifyId))!;
    expect((await firstSeen(rt, freshRow.trackId)).getTime()).toBe(freshRow.addedAt.getTime());
    expect(freshRow.addedAt.getTime()).toBeGreaterThan(seenFirst.getTime());

    // Dropped from A, then added back: two more changes, the same first sighting.
    script.setTracks(a, tracksA.slice(1));
    await callerFor(rt).playlists.refresh({ id: playlistA });
    script.setTracks(a, tracksA);
    await callerFor(rt).playlists.refresh({ id: playlistA });
    const ofShared = (await changeRows(rt, playlistA)).filter((row) => row.trackId === sharedId).map((row) => [row.change, row.position]);
    expect(ofShared).toEqual([
      ['dropped', 0],
      ['added', 0],
    ]);
    expect((await firstSeen(rt, sharedId)).getTime()).toBe(seenFirst.getTime());
  });

  test("an import's fetches store each playlist's tracks as its baseline: nothing recorded, no playlist_tracks_changed", async () => {
    const rt = await runtime.start({ engine });
    startFetchWorker(rt);
    const updates = await live(rt, (c) => c.playlistUpdates());
    const progress = await subscribe(rt, (c) => c.importProgress());
    await waitFor(() => progress.messages.length > 0, { what: 'the import snapshot' });
    const { importId } = await callerFor(rt).imports.start({ csv: ['url', demoPlaylistId(3), demoPlaylistId(4)].join('\n'), filename: 'two.csv' });
    await waitForFinished(progress, importId);
    const playlists = await callerFor(rt).playlists.list();
    expect(playlists).toHaveLength(2);
    // Both fetches committed (their playlists are listed with tracks) before their updates are checked.
    await waitFor(() => ofType(updates.events, 'playlist_updated').filter((e) => playlists.some((p) => p.id === e.keys.playlistId)).length >= 2, { what: 'both fetches announced' });
    for (const playlist of playlists) {
      const members = await membershipRows(rt, playlist.id);
      expect(playlist.trackCount).toBeGreaterThan(0);
      expect(members).toHaveLength(playlist.trackCount);
      expect(membershipEvents(updates.events, playlist.id)).toEqual([]);
      const changes = await rt.db.select().from(playlistTrackChanges).where(eq(playlistTrackChanges.playlistId, playlist.id));
      expect(changes).toEqual([]);
    }
    await updates.stop();
    await progress.stop();
  });
});

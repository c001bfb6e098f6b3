/**
 * playlists.history: added and dropped tracks grouped by ISO week (Monday 00:00 UTC starts a week),
 * newest week first, only weeks with a change, within the last `weeks` weeks; the follower series
 * from the metric snapshots over the same weeks, oldest first, at most 500 points with the latest
 * kept. Only the playlist's own workspace can read it.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { playlistMetricSnapshots, playlistTrackChanges } from '~/server/db/schema';
import { MAX_FOLLOWER_POINTS } from '~/server/history/playlist-history';
import { demoPlaylistId } from '~/server/providers/demo/demo-ids';
import { createWorkspace } from '../support/accounts';
import { callerFor } from '../support/caller';
import { engines } from '../support/runtime';
import { membershipRows, mondayOf, runtimePerTest } from './support';

const runtime = runtimePerTest();

const DAY = 86_400_000;
const WEEK = 7 * DAY;

describe.each(engines)('playlists.history on %s', (engine) => {
  test('changes group by ISO week (UTC), newest first, only weeks with changes, within the weeks asked for', async () => {
    const rt = await runtime.start({ engine });
    const { id: playlistId } = await callerFor(rt).playlists.add({ url: demoPlaylistId(1) });
    const [t1, t2, t3] = (await membershipRows(rt, playlistId)).map((row) => row.trackId);
    await rt.db.delete(playlistTrackChanges).where(eq(playlistTrackChanges.playlistId, playlistId));

    const now = new Date();
    const thisMonday = new Date(`${mondayOf(now)}T00:00:00.000Z`);
    const at = (ms: number) => new Date(ms);
    const change = (trackId: string, kind: 'added' | 'dropped', when: Date, position: number) => ({ workspaceId: rt.workspaceId, playlistId, trackId, change: kind, position, at: when });
    await rt.db.insert(playlistTrackChanges).values([
      change(t3!, 'added', at(thisMonday.getTime() - 20 * WEEK + DAY), 2),
      change(t3!, 'added', at(thisMonday.getTime() - 3 * WEEK + 2 * DAY), 2),
      // The last moment of last week, and the first of this one.
      change(t2!, 'added', at(thisMonday.getTime() - 1), 1),
      change(t2!, 'dropped', thisMonday, 1),
      change(t1!, 'added', at(now.getTime() - 1000), 0),
    ]);

    const caller = callerFor(rt, undefined, { role: 'viewer' });
    const history = await caller.playlists.history({ id: playlistId });
    const shape = (weeks: typeof history.weeks) =>
      weeks.map((week) => [week.week, week.added.map((t) => t.trackId), week.dropped.map((t) => t.trackId)]);
    const lastMonday = mondayOf(at(thisMonday.getTime() - 1));
    expect(shape(history.weeks)).toEqual([
      [mondayOf(now), [t1], [t2]],
      [lastMonday, [t2], []],
      [mondayOf(at(thisMonday.getTime() - 3 * WEEK)), [t3], []],
    ]);
    expect(lastMonday).toBe(new Date(thisMonday.getTime() - WEEK).toISOString().slice(0, 10));
    expect(history.weeks[0]!.dropped[0]).toEqual({ trackId: t2, name: expect.any(String), artist: expect.any(String), position: 1, at: thisMonday.toISOString() });
    expect(shape((await caller.playlists.history({ id: playlistId, weeks: 1 })).weeks)).toEqual([[mondayOf(now), [t1], [t2]]]);
    expect((await caller.playlists.history({ id: playlistId, weeks: 104 })).weeks.map((week) => week.week)).toHaveLength(4);
  });

  test('followers: the snapshots of those weeks, oldest first, at most 500 evenly spaced with the latest kept', async () => {
    const rt = await runtime.start({ engine });
    const { id: playlistId } = await callerFor(rt).playlists.add({ url: demoPlaylistId(2) });
    await rt.db.delete(playlistMetricSnapshots);
    const snapshot = (followers: number | null, at: Date) => ({ workspaceId: rt.workspaceId, playlistId, followers, metrics: null, at });
    const start = Date.now() - 1200 * 600_000;
    await rt.db.insert(playlistMetricSnapshots).values([
      snapshot(5, new Date(Date.now() - 30 * WEEK)),
      snapshot(null, new Date(Date.now() - DAY)),
      snapshot(100, new Date(start - 1)),
      snapshot(200, new Date(start)),
    ]);
    const few = await callerFor(rt).playlists.history({ id: playlistId });
    expect(few.followers).toEqual([
      { at: new Date(start - 1).toISOString(), followers: 100 },
      { at: new Date(start).toISOString(), followers: 200 },
    ]);

    await rt.db.insert(playlistMetricSnapshots).values(Array.from({ length: 1200 }, (_, i) => snapshot(1000 + i, new Date(start + (i + 1) * 600_000 - 5_000))));
    const { followers } = await callerFor(rt).playlists.history({ id: playlistId });
    expect(followers.length).toBeLessThanOrEqual(MAX_FOLLOWER_POINTS);
    expect(followers.length).toBeGreaterThan(MAX_FOLLOWER_POINTS / 2);
    expect(followers[0]).toEqual({ at: new Date(start - 1).toISOString(), followers: 100 });
    expect(followers.at(-1)!.followers).toBe(2199);
    const times = followers.map((point) => Date.parse(point.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('bad input is a BAD_REQUEST; an unknown id, or a playlist of another workspace, is NOT_FOUND', async () => {
    const rt = await runtime.start({ engine });
    const { id: playlistId } = await callerFor(rt).playlists.add({ url: demoPlaylistId(3) });
    const caller = callerFor(rt);
    for (const input of [{ id: playlistId, weeks: 0 }, { id: playlistId, weeks: 105 }, { id: playlistId, weeks: 1.5 }, { id: playlistId, extra: true }, { id: 'not an id!' }]) {
      await expect(caller.playlists.history(input as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    await expect(caller.playlists.history({ id: 'missing-playlist' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const other = await createWorkspace(rt, 'Other label');
    await expect(callerFor(rt, undefined, { workspaceId: other }).playlists.history({ id: playlistId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `Playlist ${playlistId} was not found in this workspace.`,
    });
  });
});

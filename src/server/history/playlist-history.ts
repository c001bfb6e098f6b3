/**
 * A playlist's weekly history (`playlists.history`): the tracks added and dropped in each of the
 * last `weeks` ISO weeks (Monday to Sunday, UTC), newest week first and only weeks with a change,
 * and its follower count over the same weeks from the metric snapshots, oldest first, thinned to
 * at most MAX_FOLLOWER_POINTS evenly spaced points (always keeping the latest).
 */
import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import { rows, type Executor } from '../db/database';
import { playlistMetricSnapshots, playlists, playlistTrackChanges, tracks } from '../db/schema';

export const MAX_FOLLOWER_POINTS = 500;

export interface HistoryTrack {
  trackId: string;
  name: string;
  artist: string;
  /** Its place after it was added, or before it was dropped. */
  position: number | null;
  at: string;
}

export interface HistoryWeek {
  /** The week's Monday, `YYYY-MM-DD`. */
  week: string;
  added: HistoryTrack[];
  dropped: HistoryTrack[];
}

export interface PlaylistHistory {
  weeks: HistoryWeek[];
  followers: { at: string; followers: number }[];
}

/** null when the playlist is not one of the workspace's. */
export async function playlistHistory(db: Executor, workspaceId: string, playlistId: string, weeks = 12): Promise<PlaylistHistory | null> {
  const [playlist] = await db
    .select({ id: playlists.id })
    .from(playlists)
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)));
  if (!playlist) return null;
  // Monday 00:00 UTC of the oldest week asked for.
  const since = sql`(date_trunc('week', now() AT TIME ZONE 'UTC') - ${weeks - 1} * interval '7 days') AT TIME ZONE 'UTC'`;
  const week = sql<string>`to_char(date_trunc('week', ${playlistTrackChanges.at} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

  const changes = await db
    .select({
      change: playlistTrackChanges.change,
      trackId: playlistTrackChanges.trackId,
      name: tracks.name,
      artist: tracks.artist,
      position: playlistTrackChanges.position,
      at: playlistTrackChanges.at,
      week,
    })
    .from(playlistTrackChanges)
    .innerJoin(tracks, eq(tracks.id, playlistTrackChanges.trackId))
    .where(and(eq(playlistTrackChanges.workspaceId, workspaceId), eq(playlistTrackChanges.playlistId, playlistId), gte(playlistTrackChanges.at, since)))
    // Newest change first; the tracks of one fetch in playlist order.
    .orderBy(desc(playlistTrackChanges.at), asc(playlistTrackChanges.position), asc(playlistTrackChanges.id));
  const byWeek = new Map<string, HistoryWeek>();
  for (const row of changes) {
    let entry = byWeek.get(row.week);
    if (!entry) byWeek.set(row.week, (entry = { week: row.week, added: [], dropped: [] }));
    entry[row.change].push({ trackId: row.trackId, name: row.name, artist: row.artist, position: row.position, at: row.at.toISOString() });
  }

  // Every step-th snapshot (step chosen so the points and the latest one stay within the bound).
  const followers = await rows<{ at: Date | string; followers: number }>(
    db,
    sql`WITH s AS (
        SELECT at, followers, row_number() OVER (ORDER BY at, id) AS n, count(*) OVER () AS total
        FROM ${playlistMetricSnapshots}
        WHERE workspace_id = ${workspaceId} AND playlist_id = ${playlistId} AND followers IS NOT NULL AND at >= ${since})
      SELECT at, followers FROM s
      WHERE total <= ${MAX_FOLLOWER_POINTS} OR (n - 1) % ceil(total::numeric / ${MAX_FOLLOWER_POINTS - 1})::bigint = 0 OR n = total
      ORDER BY n`,
  );
  return {
    weeks: [...byWeek.values()].sort((a, b) => (a.week < b.week ? 1 : a.week > b.week ? -1 : 0)),
    followers: followers.map((row) => ({ at: new Date(row.at).toISOString(), followers: Number(row.followers) })),
  };
}

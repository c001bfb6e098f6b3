/**
 * One track in full, for its detail page (tracks.detail): every column a person may read, the
 * playlists it is on, its tags, and its history newest first. The history merges the track's own
 * record (track_history: enrichment, re-enrich requests, notes, tagging) with the playlists'
 * membership record (playlist_track_changes: added, dropped).
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { toDto } from '~/server/db/dto';
import { playlists, playlistTrackChanges, playlistTracks, tags, trackHistory, trackTags, tracks, users, type TrackHistoryKind } from '~/server/db/schema';
import type { TagColor } from '~/server/tags/tag-colors';

export const HISTORY_LIMIT = 200;

export interface TrackHistoryItem {
  /** The entry's id: a number for the track's own record, `m` and a number for a membership change. */
  id: string;
  kind: TrackHistoryKind | 'added' | 'dropped';
  message: string;
  jobId: string | null;
  playlistId: string | null;
  at: string;
  /** The person's user id; null for the worker, an API key or a playlist refresh. */
  by: string | null;
  /** That person's name as it is now (null when there is no person, or the account is gone). */
  byName: string | null;
}

export type TrackDetail = NonNullable<Awaited<ReturnType<typeof trackDetail>>>;

export async function trackDetail(db: Executor, workspaceId: string, trackId: string) {
  const [row] = await db
    .select()
    .from(tracks)
    .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.id, trackId)));
  if (!row) return null;
  const [onPlaylists, tagged, history] = await Promise.all([
    db
      .select({ id: playlists.id, name: playlists.name, position: playlistTracks.position, addedAt: playlistTracks.addedAt })
      .from(playlistTracks)
      .innerJoin(playlists, eq(playlists.id, playlistTracks.playlistId))
      .where(and(eq(playlistTracks.workspaceId, workspaceId), eq(playlistTracks.trackId, trackId)))
      .orderBy(sql`lower(${playlists.name})`, asc(playlists.id)),
    db
      .select({ id: tags.id, name: tags.name, color: tags.color })
      .from(trackTags)
      .innerJoin(tags, eq(tags.id, trackTags.tagId))
      .where(and(eq(trackTags.workspaceId, workspaceId), eq(trackTags.trackId, trackId)))
      .orderBy(sql`lower(${tags.name})`, asc(tags.id)),
    trackHistoryOf(db, workspaceId, trackId, HISTORY_LIMIT),
  ]);
  // The claim column is the worker's bookkeeping, not something to show.
  const { enrichingJobId: _claim, ...columns } = row;
  return {
    track: { ...toDto(columns), playlists: onPlaylists.map((p) => ({ id: p.id, name: p.name })), tags: tagged.map((tag) => ({ id: tag.id, name: tag.name, color: tag.color as TagColor })) },
    playlists: onPlaylists.map((p) => ({ id: p.id, name: p.name, position: p.position, addedAt: p.addedAt.toISOString() })),
    history,
  };
}

/** The newest `limit` entries of both records, newest first (ties: the later-written first). */
export async function trackHistoryOf(db: Executor, workspaceId: string, trackId: string, limit: number): Promise<TrackHistoryItem[]> {
  const [own, membership] = await Promise.all([
    db
      .select({ history: trackHistory, byName: users.name })
      .from(trackHistory)
      .leftJoin(users, eq(users.id, trackHistory.by))
      .where(and(eq(trackHistory.workspaceId, workspaceId), eq(trackHistory.trackId, trackId)))
      .orderBy(desc(trackHistory.at), desc(trackHistory.id))
      .limit(limit),
    db
      .select({ change: playlistTrackChanges, playlistName: playlists.name })
      .from(playlistTrackChanges)
      .innerJoin(playlists, eq(playlists.id, playlistTrackChanges.playlistId))
      .where(and(eq(playlistTrackChanges.workspaceId, workspaceId), eq(playlistTrackChanges.trackId, trackId)))
      .orderBy(desc(playlistTrackChanges.at), desc(playlistTrackChanges.id))
      .limit(limit),
  ]);
  const items: (TrackHistoryItem & { order: number })[] = [
    ...own.map(({ history: h, byName }) => ({
      id: String(h.id),
      kind: h.kind,
      message: h.message,
      jobId: h.jobId,
      playlistId: h.playlistId,
      at: h.at.toISOString(),
      by: h.by,
      byName: byName ?? null,
      order: h.id,
    })),
    ...membership.map(({ change: c, playlistName }) => ({
      id: `m${c.id}`,
      kind: c.change,
      message: c.change === 'added' ? `Added to "${playlistName}"${c.position == null ? '' : ` at position ${c.position + 1}`}.` : `Dropped from "${playlistName}".`,
      jobId: null,
      playlistId: c.playlistId,
      at: c.at.toISOString(),
      by: null,
      byName: null,
      order: c.id,
    })),
  ];
  items.sort((a, b) => (a.at === b.at ? b.order - a.order : a.at < b.at ? 1 : -1));
  return items.slice(0, limit).map(({ order: _order, ...item }) => item);
}

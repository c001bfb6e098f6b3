/**
 * Stores fetched playlists' tracks in the caller's transaction: tracks are de-duplicated by
 * Spotify id across the workspace's playlists (a track already known keeps its enrichment), and
 * each playlist's membership follows the fetched order.
 *
 * Set-based: however many playlists, one lookup of known tracks, one insert of new ones and one
 * membership insert, each column sent as one array (unnest), so a batch of imported playlists
 * costs a few statements instead of a few per playlist. No event per track: the playlist_updated of each
 * playlist (its trackCount) says what changed.
 */
import { eq, sql } from 'drizzle-orm';
import { playlistTracks, tracks } from '../db/schema';
import { rows, type Transaction } from '../db/database';
import type { PlaylistTrackRef } from '../providers/types';

export interface PlaylistTracks {
  workspaceId: string;
  playlistId: string;
  refs: readonly PlaylistTrackRef[];
}

// Rows per statement: each column travels as one array parameter (unnest), so this only bounds a statement's size.
const ROWS_PER_STATEMENT = 2000;

/** Replaces one playlist's membership with the fetched tracks (add, refresh); returns its track count. */
export async function syncPlaylistTracks(db: Transaction, workspaceId: string, playlistId: string, refs: readonly PlaylistTrackRef[]): Promise<number> {
  await db.delete(playlistTracks).where(eq(playlistTracks.playlistId, playlistId));
  const counts = await addPlaylistTracks(db, [{ workspaceId, playlistId, refs }]);
  return counts.get(playlistId) ?? 0;
}

/**
 * Adds the tracks of playlists whose membership is empty (new, or just cleared); returns each
 * playlist's track count. A membership already there is kept (ON CONFLICT DO NOTHING).
 */
export async function addPlaylistTracks(db: Transaction, entries: readonly PlaylistTracks[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const uniqueRefs = entries.map((entry) => {
    const unique = [...new Map(entry.refs.map((ref) => [ref.spotifyId, ref])).values()];
    counts.set(entry.playlistId, unique.length);
    return unique;
  });
  for (const workspaceId of new Set(entries.map((entry) => entry.workspaceId))) {
    const refs = new Map<string, PlaylistTrackRef>();
    entries.forEach((entry, i) => {
      if (entry.workspaceId === workspaceId) for (const ref of uniqueRefs[i]!) if (!refs.has(ref.spotifyId)) refs.set(ref.spotifyId, ref);
    });
    const ids = await trackIds(db, workspaceId, [...refs.values()]);
    const members = entries.flatMap((entry, i) => (entry.workspaceId === workspaceId ? uniqueRefs[i]!.map((ref, position) => ({ playlistId: entry.playlistId, trackId: ids.get(ref.spotifyId)!, position })) : []));
    for (const slice of chunks(members, ROWS_PER_STATEMENT)) {
      await db.execute(sql`
        INSERT INTO ${playlistTracks} (workspace_id, playlist_id, track_id, position)
        SELECT ${workspaceId}, * FROM unnest(${sql.param(slice.map((m) => m.playlistId))}::text[], ${sql.param(slice.map((m) => m.trackId))}::text[], ${sql.param(slice.map((m) => m.position))}::int[])
        ON CONFLICT DO NOTHING`);
    }
  }
  return counts;
}

/**
 * The workspace's track id for each ref, inserting the ones it does not know yet. Known tracks
 * are looked up first (in a workspace that shares tracks across playlists, most are), so only
 * new ones are written.
 */
async function trackIds(db: Transaction, workspaceId: string, refs: readonly PlaylistTrackRef[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const lookUp = async (spotifyIds: readonly string[]) => {
    for (const slice of chunks(spotifyIds, ROWS_PER_STATEMENT)) {
      const found = await rows<{ id: string; spotify_id: string }>(
        db,
        sql`SELECT id, spotify_id FROM ${tracks} WHERE workspace_id = ${workspaceId} AND spotify_id = ANY(${sql.param([...slice])}::text[])`,
      );
      for (const row of found) ids.set(row.spotify_id, row.id);
    }
  };
  await lookUp(refs.map((ref) => ref.spotifyId));
  // Sorted: concurrent writers (workers in other processes) take the unique-index locks of new
  // tracks in one order, so two batches sharing new tracks wait for each other instead of deadlocking.
  const missing = refs.filter((ref) => !ids.has(ref.spotifyId)).sort((a, b) => (a.spotifyId < b.spotifyId ? -1 : a.spotifyId > b.spotifyId ? 1 : 0));
  for (const slice of chunks(missing, ROWS_PER_STATEMENT)) {
    const column = <K extends keyof PlaylistTrackRef>(key: K) => sql.param(slice.map((ref) => ref[key]));
    const inserted = await rows<{ id: string; spotify_id: string }>(
      db,
      sql`INSERT INTO ${tracks} (id, workspace_id, spotify_id, name, artist, album, duration_ms, explicit)
        SELECT id, ${workspaceId}, spotify_id, name, artist, album, duration_ms, explicit
        FROM unnest(${sql.param(slice.map(() => crypto.randomUUID()))}::text[], ${column('spotifyId')}::text[], ${column('name')}::text[], ${column('artist')}::text[], ${column('album')}::text[], ${column('durationMs')}::int[], ${column('explicit')}::boolean[])
          AS v(id, spotify_id, name, artist, album, duration_ms, explicit)
        ON CONFLICT (workspace_id, spotify_id) DO NOTHING
        RETURNING id, spotify_id`,
    );
    for (const row of inserted) ids.set(row.spotify_id, row.id);
  }
  // Added by another writer between the lookup and the insert: theirs is the row.
  const raced = missing.filter((ref) => !ids.has(ref.spotifyId)).map((ref) => ref.spotifyId);
  if (raced.length > 0) await lookUp(raced);
  return ids;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

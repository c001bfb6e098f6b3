/**
 * Stores a fetched playlist's tracks in the caller's transaction: tracks are de-duplicated by
 * Spotify id across the workspace's playlists (a track already known keeps its enrichment), and
 * the playlist's membership is replaced by the fetched order.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { playlistTracks, tracks } from '../db/schema';
import type { Transaction } from '../db/database';
import type { PlaylistTrackRef } from '../providers/types';

export async function syncPlaylistTracks(db: Transaction, workspaceId: string, playlistId: string, refs: readonly PlaylistTrackRef[]): Promise<number> {
  const unique = [...new Map(refs.map((ref) => [ref.spotifyId, ref])).values()];
  await db.delete(playlistTracks).where(eq(playlistTracks.playlistId, playlistId));
  if (unique.length === 0) return 0;
  // Chunked: one statement per 500 tracks keeps parameter counts well under Postgres' limit.
  for (let i = 0; i < unique.length; i += 500) {
    const slice = unique.slice(i, i + 500);
    await db
      .insert(tracks)
      .values(slice.map((ref) => ({ workspaceId, spotifyId: ref.spotifyId, name: ref.name, artist: ref.artist, album: ref.album, durationMs: ref.durationMs, explicit: ref.explicit })))
      .onConflictDoNothing({ target: [tracks.workspaceId, tracks.spotifyId] });
    const ids = await db
      .select({ id: tracks.id, spotifyId: tracks.spotifyId })
      .from(tracks)
      .where(and(eq(tracks.workspaceId, workspaceId), inArray(tracks.spotifyId, slice.map((ref) => ref.spotifyId))));
    const bySpotifyId = new Map(ids.map((row) => [row.spotifyId, row.id]));
    await db.insert(playlistTracks).values(slice.map((ref, j) => ({ workspaceId, playlistId, trackId: bySpotifyId.get(ref.spotifyId)!, position: i + j })));
  }
  return unique.length;
}

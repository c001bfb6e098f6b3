/**
 * Refreshes a tracked playlist: fetch it again, store what changed (playlist_updated carries only
 * the changed fields), replace its track list, and enqueue enrichment for tracks that need it.
 * A failed fetch records a playlist_error and leaves the stored playlist as it was.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { toDto } from '../db/dto';
import { playlists } from '../db/schema';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import type { Runtime } from '../runtime';
import { enqueuePlaylistEnrichment } from './enqueue-playlist-enrichment';
import { fetchPlaylist } from './fetch-playlist';
import { PlaylistError, PlaylistMissingError } from './playlist-error';
import type { PlaylistDto } from './queries';
import { reportPlaylistError } from './report-playlist-error';
import { syncPlaylistTracks } from './sync-playlist-tracks';

export async function refreshPlaylist(runtime: Runtime, workspaceId: string, playlistId: string): Promise<{ playlist: PlaylistDto; jobId: string | null }> {
  const [current] = await runtime.db
    .select()
    .from(playlists)
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)));
  if (!current) throw new PlaylistMissingError(playlistId);

  let fetched;
  try {
    fetched = await fetchPlaylist(runtime, current.spotifyId);
  } catch (error) {
    if (error instanceof PlaylistError) await reportPlaylistError(runtime, workspaceId, error, { playlistId, spotifyId: current.spotifyId, input: null });
    throw error;
  }

  const result = await runtime.log.transaction(async (tx) => {
    const trackCount = await syncPlaylistTracks(tx.db, workspaceId, playlistId, fetched.tracks);
    const next = {
      // A restricted playlist's fallback has no metadata: keep what we had.
      name: fetched.name || current.name,
      curator: fetched.curator ?? current.curator,
      description: fetched.description ?? current.description,
      imageUrl: fetched.imageUrl ?? current.imageUrl,
      followers: fetched.followers ?? current.followers,
      trackCount,
    };
    const changes: Record<string, unknown> = Object.fromEntries(Object.entries(next).filter(([key, value]) => current[key as keyof typeof next] !== value));
    if (current.lastErrorCode) Object.assign(changes, { lastErrorCode: null, lastErrorMessage: null });
    const [stored] = await tx.db
      .update(playlists)
      .set({ ...next, lastErrorCode: null, lastErrorMessage: null, lastFetchedAt: new Date(), updatedAt: sql`now()` })
      .where(eq(playlists.id, playlistId))
      .returning();
    if (Object.keys(changes).length > 0) {
      tx.emit({ type: 'playlist_updated', workspaceId, keys: { playlistId }, data: { playlistId, spotifyId: current.spotifyId, changes, removed: false } });
    }
    await logActivity(tx, { workspaceId, kind: 'playlist_refreshed', message: `Refreshed playlist "${stored!.name}" (${trackCount} tracks).`, keys: { playlistId } });
    const jobId = await enqueuePlaylistEnrichment(tx, runtime, workspaceId, playlistId, 'playlist refreshed');
    return { playlist: toDto(stored!), jobId };
  });
  await recomputePlaylistMetrics(runtime, workspaceId, playlistId).catch(() => {});
  return result;
}

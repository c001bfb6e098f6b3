/**
 * Removes pending playlists whose fetch failed for good (missing, restricted, the provider down
 * through every attempt), in the caller's transaction: nobody ever saw their tracks, so they go
 * (their fetch jobs with them), each with playlist_updated `removed`, a playlist_error with the
 * provider's reason (the same event a failed add by hand gives) and its activity row. The
 * caller moves the import's row to failed with the same reason.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { logActivities } from '../activity/log-activity';
import { playlists } from '../db/schema';
import type { Tx } from '../events/event-log';
import type { PlaylistErrorCode } from './playlist-error';
import type { PendingPlaylist } from './store-fetched-playlists';

export interface UnfetchedPlaylist {
  playlist: PendingPlaylist;
  code: PlaylistErrorCode;
  message: string;
}

/** Returns the ids it removed (a playlist no longer pending is left alone). */
export async function removeUnfetchedPlaylists(tx: Tx, failures: readonly UnfetchedPlaylist[]): Promise<Set<string>> {
  if (failures.length === 0) return new Set();
  const removed = await tx.db
    .delete(playlists)
    .where(and(inArray(playlists.id, failures.map((failure) => failure.playlist.id)), eq(playlists.fetchStatus, 'pending')))
    .returning({ id: playlists.id });
  const ids = new Set(removed.map((row) => row.id));
  const gone = failures.filter((failure) => ids.has(failure.playlist.id));
  for (const { playlist, code, message } of gone) {
    tx.emit({ type: 'playlist_updated', workspaceId: playlist.workspaceId, keys: { playlistId: playlist.id }, data: { playlistId: playlist.id, spotifyId: playlist.spotifyId, changes: {}, removed: true } });
    // The playlist is gone, so the error names no playlist id: like a failed add by hand, it is about input.
    tx.emit({ type: 'playlist_error', workspaceId: playlist.workspaceId, keys: {}, data: { playlistId: null, spotifyId: playlist.spotifyId, input: playlist.spotifyId, code, message } });
  }
  await logActivities(tx, gone.map(({ playlist, message }) => ({ workspaceId: playlist.workspaceId, kind: 'playlist_error', message })));
  return ids;
}

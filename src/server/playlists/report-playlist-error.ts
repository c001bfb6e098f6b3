/**
 * Records a failed fetch or validation: a playlist_error event (with the activity row), and on a
 * tracked playlist its last error, all in one transaction. Nothing else is written.
 */
import { eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { playlists } from '../db/schema';
import type { Tx } from '../events/event-log';
import type { Runtime } from '../runtime';
import type { PlaylistError } from './playlist-error';

export interface PlaylistErrorSite {
  playlistId: string | null;
  spotifyId: string | null;
  input: string | null;
}

export async function reportPlaylistError(runtime: Runtime, workspaceId: string, error: PlaylistError, where: PlaylistErrorSite): Promise<void> {
  await runtime.log.transaction((tx) => recordPlaylistError(tx, workspaceId, error, where));
}

/** The same in the caller's transaction (a refresh job records its failure with the job's). */
export async function recordPlaylistError(tx: Tx, workspaceId: string, error: PlaylistError, where: PlaylistErrorSite): Promise<void> {
  if (where.playlistId) {
    await tx.db
      .update(playlists)
      .set({ lastErrorCode: error.code, lastErrorMessage: error.message, updatedAt: sql`now()` })
      .where(eq(playlists.id, where.playlistId));
  }
  const keys = where.playlistId ? { playlistId: where.playlistId } : {};
  tx.emit({
    type: 'playlist_error',
    workspaceId,
    keys,
    data: { playlistId: where.playlistId, spotifyId: where.spotifyId, input: where.input, code: error.code, message: error.message },
  });
  await logActivity(tx, { workspaceId, kind: 'playlist_error', message: error.message, keys });
}

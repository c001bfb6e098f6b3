/**
 * Removes a playlist from a workspace. Its active jobs are cancelled first (subscribers see them
 * end), its membership goes with it, and tracks no other playlist holds are deleted. One an
 * import was still waiting to fetch fails its import row instead (its fetch job goes with it).
 */
import { and, eq, inArray, notExists } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs, playlists, playlistTracks, tracks } from '../db/schema';
import { cancelRefreshJob, isRefreshJob } from '../history/refresh-jobs';
import { markCancelled } from '../jobs/cancel-job';
import { recordFetchOutcomes } from '../imports/record-fetch-outcomes';
import type { Runtime } from '../runtime';
import { PlaylistMissingError } from './playlist-error';

export async function removePlaylist(runtime: Runtime, workspaceId: string, playlistId: string): Promise<{ id: string; removed: true }> {
  return runtime.log.transaction(async (tx) => {
    const [playlist] = await tx.db
      .select()
      .from(playlists)
      .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)))
      .for('update');
    if (!playlist) throw new PlaylistMissingError(playlistId);
    const active = await tx.db
      .select()
      .from(enrichmentJobs)
      .where(and(eq(enrichmentJobs.playlistId, playlistId), inArray(enrichmentJobs.status, ['queued', 'running'])))
      .for('update');
    for (const job of active) if (job.kind === 'enrich') await markCancelled(tx, job, job.status as 'queued' | 'running');
    for (const job of active) if (isRefreshJob(job)) await cancelRefreshJob(tx, job, job.status as 'queued' | 'running', 'Playlist refresh cancelled: the playlist was removed.');
    const fetchesOf = active.filter((job) => job.kind === 'fetch' && job.importId);
    const memberIds = (await tx.db.select({ id: playlistTracks.trackId }).from(playlistTracks).where(eq(playlistTracks.playlistId, playlistId))).map((r) => r.id);
    await tx.db.delete(playlists).where(eq(playlists.id, playlistId));
    if (memberIds.length > 0) {
      await tx.db
        .delete(tracks)
        .where(
          and(
            inArray(tracks.id, memberIds),
            notExists(tx.db.select({ one: playlistTracks.trackId }).from(playlistTracks).where(eq(playlistTracks.trackId, tracks.id))),
          ),
        );
    }
    for (const job of fetchesOf) {
      await recordFetchOutcomes(tx, job.importId!, { fetched: 0, failed: [{ playlistId, reason: 'the playlist was removed before it was fetched' }] });
    }
    tx.emit({ type: 'playlist_updated', workspaceId, keys: { playlistId }, data: { playlistId, spotifyId: playlist.spotifyId, changes: {}, removed: true } });
    await logActivity(tx, { workspaceId, kind: 'playlist_removed', message: `Removed playlist "${playlist.name}".`, keys: { playlistId } });
    return { id: playlistId, removed: true as const };
  });
}

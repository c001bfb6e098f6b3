/**
 * Re-enriches one track through the same path as a playlist: the track goes back to pending and a
 * job over just that track is queued (idempotent while one is active), run by the worker.
 */
import { and, asc, eq } from 'drizzle-orm';
import { playlistTracks, tracks } from '../db/schema';
import { enqueueJob } from '../jobs/enqueue-job';
import type { Runtime } from '../runtime';
import { TrackError } from './track-error';
import { applyTrackChanges } from './track-transitions';

export async function reenrichTrack(runtime: Runtime, workspaceId: string, trackId: string): Promise<{ jobId: string; created: boolean }> {
  return runtime.log.transaction(async (tx) => {
    const [track] = await tx.db
      .select()
      .from(tracks)
      .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.id, trackId)))
      .for('update');
    if (!track) throw new TrackError('TRACK_NOT_FOUND', `Track ${trackId} was not found in this workspace.`);
    // The job's playlist is one the track is on, so the playlist's subscribers see it move.
    const [membership] = await tx.db
      .select({ playlistId: playlistTracks.playlistId })
      .from(playlistTracks)
      .where(eq(playlistTracks.trackId, trackId))
      .orderBy(asc(playlistTracks.addedAt))
      .limit(1);
    const playlistId = membership?.playlistId ?? null;
    const { job, created } = await enqueueJob(tx, {
      workspaceId,
      playlistId,
      trackIds: [trackId],
      maxAttempts: runtime.config.JOB_MAX_ATTEMPTS,
      reason: `re-enrich "${track.name}"`,
    });
    if (created && track.enrichmentStatus === 'enriching') {
      throw new TrackError('TRACK_BUSY', `Track "${track.name}" is being enriched right now; re-enrich it when its job has finished.`);
    }
    if (created) await applyTrackChanges(tx, { workspaceId, jobId: job.id, playlistId }, [{ trackId, to: 'pending' }]);
    return { jobId: job.id, created };
  });
}

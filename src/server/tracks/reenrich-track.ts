/**
 * Re-enriches one track through the same path as a playlist: a person asked, so the job over just
 * that track is `force` (it ignores TRACK_FRESHNESS_MS) and the track starts a new run at once:
 * completed or failed -> pending, which its subscribers see as the start of that run (the rule is
 * in track-transitions.ts). Idempotent while such a job is active.
 *
 * A track being enriched now (enriching, or claimed by a running job) is left alone: a new job is
 * refused with TRACK_BUSY, an active one is returned as it is.
 */
import { and, asc, eq } from 'drizzle-orm';
import { playlistTracks, tracks } from '../db/schema';
import { enqueueJob } from '../jobs/enqueue-job';
import type { Runtime } from '../runtime';
import { TrackError } from './track-error';
import { runningHolderOf } from './track-claims';
import { describePhases, recordTrackHistory } from './track-history';
import { applyTrackChanges } from './track-transitions';

export async function reenrichTrack(
  runtime: Runtime,
  workspaceId: string,
  trackId: string,
  opts: { phases?: readonly number[]; by?: string | null } = {},
): Promise<{ jobId: string; created: boolean }> {
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
      phases: opts.phases ? [...opts.phases] : undefined,
      maxAttempts: runtime.config.JOB_MAX_ATTEMPTS,
      reason: `re-enrich "${track.name}"`,
      force: true,
    });
    // Enriching, or held by a running job that keeps it completed while it works (a forced run).
    const busy = track.enrichmentStatus === 'enriching' || (await runningHolderOf(tx.db, trackId)) !== null;
    if (busy && created) {
      throw new TrackError('TRACK_BUSY', `Track "${track.name}" is being enriched right now; re-enrich it when its job has finished.`);
    }
    if (!busy && (track.enrichmentStatus === 'completed' || track.enrichmentStatus === 'failed')) {
      await applyTrackChanges(tx, { workspaceId, jobId: job.id, playlistId }, [{ trackId, to: 'pending' }]);
    }
    if (created) {
      const message = `Re-enrichment requested (${describePhases(job.phases)}).`;
      await recordTrackHistory(tx.db, workspaceId, [{ trackId, kind: 'reenrich_requested', message, jobId: job.id, playlistId, by: opts.by ?? null }]);
    }
    return { jobId: job.id, created };
  });
}

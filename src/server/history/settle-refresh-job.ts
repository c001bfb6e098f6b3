/**
 * Writes what a refresh job's fetch found, in one transaction with the job's end, through the same
 * code as a refresh by hand (playlists/refresh-playlist.ts `storeRefreshedPlaylist`): its
 * membership diff recorded, its metadata, enrichment queued at bulk priority, the job completed.
 * A fetch that failed for good (the playlist is gone or restricted, or its last attempt failed)
 * records the playlist's error and fails the job; one that may work later queues it again with a
 * backoff. Only a job this worker still holds is written; a job cancelled meanwhile stores nothing.
 */
import { eq } from 'drizzle-orm';
import { playlists } from '../db/schema';
import type { FetchOutcome } from '../enrichment/settle-fetch-batch';
import { JOB_PRIORITY } from '../jobs/job-priority';
import { LeaseLostError, lockLeasedJob } from '../jobs/job-lease';
import type { JobRow } from '../jobs/job-status-event';
import { PlaylistError } from '../playlists/playlist-error';
import { storeRefreshedPlaylist } from '../playlists/refresh-playlist';
import { recordPlaylistError } from '../playlists/report-playlist-error';
import type { Runtime } from '../runtime';
import { cancelRefreshJob, completeRefreshJob, failRefreshAttempt } from './refresh-jobs';

/** Returns the playlist when it was stored (its metrics are recomputed after commit). */
export async function settleRefreshJob(runtime: Runtime, workerId: string, outcome: FetchOutcome): Promise<{ workspaceId: string; playlistId: string } | null> {
  const { config } = runtime;
  const policy = { backoffBaseMs: config.JOB_BACKOFF_BASE_MS, backoffMaxMs: config.JOB_BACKOFF_MAX_MS };
  return runtime.log.transaction(async (tx) => {
    let job: JobRow;
    try {
      job = await lockLeasedJob(tx.db, outcome.job.id, workerId);
    } catch (error) {
      // Swept after a stall: it belongs to another attempt now.
      if (error instanceof LeaseLostError) return null;
      throw error;
    }
    if (job.cancelRequested) {
      await cancelRefreshJob(tx, job, 'running');
      return null;
    }
    // The job goes with its playlist (cascade), so a job still held has its playlist.
    const [playlist] = await tx.db.select().from(playlists).where(eq(playlists.id, job.playlistId!)).for('no key update');
    const { result } = outcome;
    if (result.kind === 'fetched') {
      await storeRefreshedPlaylist(tx, runtime, playlist!, result.fetched, { reason: 'scheduled refresh', priority: JOB_PRIORITY.bulk });
      await completeRefreshJob(tx, job);
      return { workspaceId: job.workspaceId, playlistId: job.playlistId! };
    }
    const final = result.kind === 'failed' || job.attempt >= job.maxAttempts;
    if (final) {
      await recordPlaylistError(tx, job.workspaceId, new PlaylistError(result.code, result.message), { playlistId: playlist!.id, spotifyId: playlist!.spotifyId, input: null });
    }
    await failRefreshAttempt(tx, job, result.message, { ...policy, final, reported: final });
    return null;
  });
}

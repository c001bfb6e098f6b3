/**
 * Cancelling: a queued job is cancelled at once; a running one is flagged and its worker stops at
 * the next batch boundary (so a batch is never half-written), then marks it cancelled. Its track
 * claims are released in the same transaction.
 */
import { eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import type { Tx } from '../events/event-log';
import type { Runtime } from '../runtime';
import { releaseJobClaims, tracksNotHeldByOthers } from '../tracks/track-claims';
import { moveTracksInStatus } from '../tracks/track-transitions';
import { cancelRefreshJob, isRefreshJob } from '../history/refresh-jobs';
import { keysOf } from './fail-job-attempt';
import { JobError } from './job-error';
import { lockJob } from './lock-job';
import { markJobCancelled } from './job-row-transitions';
import { emitJobStatus, type JobRow } from './job-status-event';
import { jobTrackIds } from './job-tracks';

export async function cancelJob(runtime: Runtime, workspaceId: string, jobId: string): Promise<JobRow> {
  return runtime.log.transaction(async (tx) => {
    const job = await lockJob(tx, workspaceId, jobId);
    if (job.status === 'queued') return isRefreshJob(job) ? cancelRefreshJob(tx, job, 'queued') : markCancelled(tx, job, 'queued');
    if (job.status === 'running') {
      if (job.cancelRequested) return job;
      const [flagged] = await tx.db
        .update(enrichmentJobs)
        .set({ cancelRequested: true, updatedAt: sql`now()` })
        .where(eq(enrichmentJobs.id, job.id))
        .returning();
      await logActivity(tx, { workspaceId, kind: 'job_cancel_requested', message: 'Cancel requested: the job stops after its current batch.', keys: keysOf(job) });
      return flagged!;
    }
    throw new JobError('JOB_NOT_CANCELLABLE', `Job ${jobId} is ${job.status}; only a queued or running job can be cancelled.`);
  });
}

/** Marks a job cancelled; tracks it left mid-enrichment go back to pending (not those another job is enriching now). */
export async function markCancelled(tx: Tx, job: JobRow, from: 'queued' | 'running'): Promise<JobRow> {
  const cancelled = await markJobCancelled(tx.db, job.id);
  emitJobStatus(tx, cancelled, from);
  const ctx = { workspaceId: job.workspaceId, jobId: job.id, playlistId: job.playlistId };
  if (from === 'running') await moveTracksInStatus(tx, ctx, await tracksNotHeldByOthers(tx.db, job, await jobTrackIds(tx.db, job)), ['enriching'], 'pending', null);
  await releaseJobClaims(tx, job);
  await logActivity(tx, { workspaceId: job.workspaceId, kind: 'job_cancelled', message: 'Enrichment job cancelled.', keys: keysOf(job) });
  return cancelled;
}

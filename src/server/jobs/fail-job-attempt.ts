/**
 * A running job's attempt failed (a phase failed after its provider retries, or its worker died):
 * it runs again after an exponential backoff with jitter, or, after its last attempt, it is
 * `failed` with the error, and the tracks it left half-done are marked failed with the reason
 * (not those another running job is enriching by now). Either way it releases its track claims:
 * tracks it left `enriching` wait for its next attempt or for any other job that claims them.
 */
import { logActivity } from '../activity/log-activity';
import { phaseNames, type EnrichmentPhase } from '../events/catalog';
import type { Tx } from '../events/event-log';
import { releaseJobClaims, tracksNotHeldByOthers } from '../tracks/track-claims';
import { moveTracksInStatus } from '../tracks/track-transitions';
import { retryAt } from './backoff';
import { jobTrackIds } from './job-tracks';
import { markJobFailed, requeueJob } from './job-row-transitions';
import { emitJobStatus, type JobRow } from './job-status-event';

export interface RetryPolicy {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export async function failJobAttempt(
  tx: Tx,
  job: JobRow,
  error: string,
  policy: RetryPolicy & { phaseFailed?: boolean; retryAtOnce?: boolean },
): Promise<JobRow> {
  const phase = job.phase as EnrichmentPhase | null;
  if (policy.phaseFailed && phase) {
    tx.emit({
      type: 'enrichment_phase',
      workspaceId: job.workspaceId,
      keys: keysOf(job),
      data: { jobId: job.id, playlistId: job.playlistId, phase, name: phaseNames[phase], state: 'failed', tracksTotal: job.tracksTotal, error },
    });
  }
  const finalAttempt = job.attempt >= job.maxAttempts;
  if (!finalAttempt) {
    const runAfter = retryAt(job.attempt, policy);
    const queued = await requeueJob(tx.db, job.id, { runAfter, lastError: error });
    emitJobStatus(tx, queued, 'running', { error, retryAt: runAfter });
    await releaseJobClaims(tx, job);
    return queued;
  }
  const failed = await markJobFailed(tx.db, job.id, error);
  emitJobStatus(tx, failed, 'running', { error });
  const ctx = { workspaceId: job.workspaceId, jobId: job.id, playlistId: job.playlistId };
  await moveTracksInStatus(tx, ctx, await tracksNotHeldByOthers(tx.db, job, await jobTrackIds(tx.db, job)), ['enriching'], 'failed', `The enrichment job failed: ${error}`);
  await releaseJobClaims(tx, job);
  await logActivity(tx, {
    workspaceId: job.workspaceId,
    kind: 'job_failed',
    message: `Enrichment job failed after ${job.attempt} attempt${job.attempt === 1 ? '' : 's'}: ${error}`,
    keys: keysOf(job),
  });
  return failed;
}

export function keysOf(job: Pick<JobRow, 'id' | 'playlistId'>) {
  return job.playlistId ? { jobId: job.id, playlistId: job.playlistId } : { jobId: job.id };
}

/**
 * Refresh jobs: a tracked playlist fetched again (the refresh scheduler queues them, the worker's
 * fetch loops run them). On the queue a refresh job is a fetch job (kind `fetch`, phase 0) with a
 * playlist, no import and `phases: [0]`. Unlike an import's fetches, which its progress reports,
 * refresh jobs are on the job board like enrichment jobs: every transition emits
 * job_status_changed in the transaction that makes it. Its `phase` there is null: the event's
 * phase names an enrichment phase (1-4), and a refresh is none of them.
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import type { EventLog, Tx } from '../events/event-log';
import { retryAt } from '../jobs/backoff';
import type { RetryPolicy } from '../jobs/fail-job-attempt';
import { handBackJobs, markJobCancelled, markJobCompleted, markJobFailed, requeueJob } from '../jobs/job-row-transitions';
import { emitJobStatus, type JobRow } from '../jobs/job-status-event';
import type { JobStatus } from '../db/schema';

/** A refresh job's `phases`: phase 0, the fetch, and no enrichment phase. */
export const REFRESH_PHASES = [0];

export function isRefreshJob(job: Pick<JobRow, 'kind' | 'importId'>): boolean {
  return job.kind === 'fetch' && job.importId === null;
}

export const isRefreshJobSql = and(eq(enrichmentJobs.kind, 'fetch'), isNull(enrichmentJobs.importId))!;

/** The jobs a person sees and acts on (the job board, jobs.get, cancel, retry): enrichment and refresh jobs, not an import's fetches. */
export const onJobBoard = or(eq(enrichmentJobs.kind, 'enrich'), isRefreshJobSql)!;

export function emitRefreshStatus(tx: Tx, job: JobRow, from: JobStatus | null, extra: { error?: string | null; retryAt?: Date | null } = {}): void {
  emitJobStatus(tx, { ...job, phase: null }, from, extra);
}

const keysOf = (job: JobRow) => ({ jobId: job.id, playlistId: job.playlistId! });

export async function completeRefreshJob(tx: Tx, job: JobRow): Promise<JobRow> {
  const done = await markJobCompleted(tx.db, job.id);
  emitRefreshStatus(tx, done, 'running');
  return done;
}

/**
 * A refresh attempt failed: queued again after a backoff (the provider was down, the worker died),
 * or `failed` after its last attempt or when retrying cannot help (`final`: the playlist is gone or
 * restricted). `reported`: the caller recorded the playlist's error (with its activity row), so the
 * job writes none of its own.
 */
export async function failRefreshAttempt(
  tx: Tx,
  job: JobRow,
  error: string,
  policy: RetryPolicy & { final?: boolean; retryAtOnce?: boolean; reported?: boolean },
): Promise<JobRow> {
  if (!policy.final && job.attempt < job.maxAttempts) {
    const runAfter = retryAt(job.attempt, policy);
    const queued = await requeueJob(tx.db, job.id, { runAfter, lastError: error });
    emitRefreshStatus(tx, queued, 'running', { error, retryAt: runAfter });
    return queued;
  }
  const failed = await markJobFailed(tx.db, job.id, error);
  emitRefreshStatus(tx, failed, 'running', { error });
  if (!policy.reported) {
    await logActivity(tx, {
      workspaceId: job.workspaceId,
      kind: 'job_failed',
      message: `Playlist refresh failed after ${job.attempt} attempt${job.attempt === 1 ? '' : 's'}: ${error}`,
      keys: keysOf(job),
    });
  }
  return failed;
}

/** Cancelled by a person (queued, or running: its fetch loop stores nothing), or with its playlist. */
export async function cancelRefreshJob(tx: Tx, job: JobRow, from: 'queued' | 'running', why = 'Playlist refresh cancelled.'): Promise<JobRow> {
  const cancelled = await markJobCancelled(tx.db, job.id);
  emitRefreshStatus(tx, cancelled, from);
  await logActivity(tx, { workspaceId: job.workspaceId, kind: 'job_cancelled', message: why, keys: keysOf(job) });
  return cancelled;
}

/** A fetch loop shutting down hands its refresh jobs back: queued at once, the interrupted attempt not counted. */
export async function releaseRefreshJobs(log: EventLog, jobIds: readonly string[], workerId: string): Promise<void> {
  if (jobIds.length === 0) return;
  await log.transaction(async (tx) => {
    const released = await handBackJobs(tx.db, jobIds, workerId);
    for (const job of released) emitRefreshStatus(tx, job, 'running', { error: 'The worker shut down; the job was handed back to the queue.' });
  });
}

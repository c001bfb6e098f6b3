/**
 * The row transitions of a job on the queue (an enrichment job, a refresh job, an import's fetch):
 * each is one UPDATE ... RETURNING on the job's row, and each that takes the job off its worker
 * clears the lease. They write no event and no activity row: the caller knows what kind of job it
 * moved, so it emits job_status_changed (or none, for an import's fetch) and logs its activity in
 * the same transaction.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { enrichmentJobs } from '../db/schema';
import type { JobRow } from './job-status-event';

/** A failed attempt with attempts left: queued again at `runAfter`, with the error it failed with. */
export async function requeueJob(db: Executor, jobId: string, retry: { runAfter: Date; lastError: string }): Promise<JobRow> {
  const [queued] = await db
    .update(enrichmentJobs)
    .set({ status: 'queued', runAfter: retry.runAfter, leaseOwner: null, leaseExpiresAt: null, lastError: retry.lastError, updatedAt: sql`now()` })
    .where(eq(enrichmentJobs.id, jobId))
    .returning();
  return queued!;
}

export function markJobFailed(db: Executor, jobId: string, error: string): Promise<JobRow> {
  return endJob(db, jobId, { status: 'failed', lastError: error });
}

export function markJobCancelled(db: Executor, jobId: string): Promise<JobRow> {
  return endJob(db, jobId, { status: 'cancelled' });
}

export function markJobCompleted(db: Executor, jobId: string): Promise<JobRow> {
  return endJob(db, jobId, { status: 'completed' });
}

/** The job's last transition: off its worker, finished now. */
async function endJob(db: Executor, jobId: string, end: { status: 'failed' | 'cancelled' | 'completed'; lastError?: string }): Promise<JobRow> {
  const [ended] = await db
    .update(enrichmentJobs)
    .set({ ...end, leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(enrichmentJobs.id, jobId))
    .returning();
  return ended!;
}

/**
 * A worker shutting down hands its jobs back: queued at once, the interrupted attempt not counted.
 * Only jobs this worker still runs move (one swept meanwhile belongs to another attempt now), and
 * only those are returned.
 */
export async function handBackJobs(db: Executor, jobIds: readonly string[], workerId: string): Promise<JobRow[]> {
  if (jobIds.length === 0) return [];
  return db
    .update(enrichmentJobs)
    .set({ status: 'queued', attempt: sql`greatest(${enrichmentJobs.attempt} - 1, 0)`, runAfter: sql`now()`, leaseOwner: null, leaseExpiresAt: null, updatedAt: sql`now()` })
    .where(and(inArray(enrichmentJobs.id, [...jobIds]), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
    .returning();
}

/**
 * How a fetch job (phase 0) ends or goes back to the queue. These write no events: the import's
 * counters and rows say what a fetch did (see claim-fetch-jobs.ts). Each takes the jobs the
 * caller still holds (lockLeasedJobs), in the transaction that stores what they fetched.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { enrichmentJobs } from '../db/schema';
import { retryAt } from './backoff';
import type { RetryPolicy } from './fail-job-attempt';
import { JOB_PRIORITY } from './job-priority';
import { handBackJobs, requeueJob } from './job-row-transitions';
import type { JobRow } from './job-status-event';

/** A person asked for this playlist (added it by hand while an import waits to fetch it): its fetch goes first. */
export async function prioritizeFetch(db: Executor, playlistId: string): Promise<void> {
  await db
    .update(enrichmentJobs)
    .set({ priority: JOB_PRIORITY.interactive, updatedAt: sql`now()` })
    .where(and(eq(enrichmentJobs.playlistId, playlistId), eq(enrichmentJobs.kind, 'fetch'), eq(enrichmentJobs.status, 'queued')));
}

export async function completeFetchJobs(db: Executor, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db
    .update(enrichmentJobs)
    .set({ status: 'completed', leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(inArray(enrichmentJobs.id, [...jobIds]));
}

/** A failed attempt with attempts left: queued again after a backoff with jitter (the provider was down, not the playlist). */
export async function retryFetchJobs(db: Executor, jobs: readonly (Pick<JobRow, 'id' | 'attempt'> & { error: string })[], policy: RetryPolicy): Promise<void> {
  for (const job of jobs) {
    // One statement per job: each has its own backoff; only failures (rare) come here.
    await requeueJob(db, job.id, { runAfter: retryAt(job.attempt, policy), lastError: job.error });
  }
}

/** A worker shutting down hands its claimed fetch jobs back: queued at once, the interrupted attempt not counted. */
export async function releaseFetchJobs(db: Executor, jobIds: readonly string[], workerId: string): Promise<void> {
  await handBackJobs(db, jobIds, workerId);
}

/**
 * The lease a worker holds on a running job. It renews it while it works; if it cannot (the job
 * was swept after a stall, removed, or taken by another worker) it must stop writing at once.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { enrichmentJobs } from '../db/schema';
import type { JobRow } from './job-status-event';

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`The lease on job ${jobId} was lost (it expired and was re-queued, or the job was removed).`);
    this.name = 'LeaseLostError';
  }
}

/** Extends the lease; returns the job row (for cancelRequested), or throws LeaseLostError. */
export async function renewLease(db: Executor, jobId: string, workerId: string, leaseMs: number): Promise<JobRow> {
  const [job] = await db
    .update(enrichmentJobs)
    .set({ leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(eq(enrichmentJobs.id, jobId), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
    .returning();
  if (!job) throw new LeaseLostError(jobId);
  return job;
}

/** Locks the job row in the caller's transaction if this worker still holds it; else LeaseLostError. */
export async function lockLeasedJob(db: Executor, jobId: string, workerId: string): Promise<JobRow> {
  const [job] = await db
    .select()
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.id, jobId), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
    .for('update');
  if (!job) throw new LeaseLostError(jobId);
  return job;
}

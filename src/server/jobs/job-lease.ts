/**
 * The lease a worker holds on a running job. It renews it while it works; if it cannot (the job
 * was swept after a stall, removed, or taken by another worker) it must stop writing at once.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
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

/** lockLeasedJob for a batch (a fetch loop's claim): the ids of those this worker still holds, locked until the transaction ends. */
export async function lockLeasedJobs(db: Executor, jobIds: readonly string[], workerId: string): Promise<Set<string>> {
  if (jobIds.length === 0) return new Set();
  const held = await db
    .select({ id: enrichmentJobs.id })
    .from(enrichmentJobs)
    .where(and(inArray(enrichmentJobs.id, [...jobIds]), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
    .for('update');
  return new Set(held.map((row) => row.id));
}

/** renewLease for a batch; returns the ids still held (a job missing from it was swept and must not be written). */
export async function renewLeases(db: Executor, jobIds: readonly string[], workerId: string, leaseMs: number): Promise<Set<string>> {
  if (jobIds.length === 0) return new Set();
  const renewed = await db
    .update(enrichmentJobs)
    .set({ leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(inArray(enrichmentJobs.id, [...jobIds]), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
    .returning({ id: enrichmentJobs.id });
  return new Set(renewed.map((row) => row.id));
}

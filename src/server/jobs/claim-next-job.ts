/**
 * Claims the next due enrichment job for a worker. `FOR UPDATE SKIP LOCKED` lets any number of
 * workers (threads or processes) claim at once: each locks a different row, none waits, none
 * double-claims. Interactive jobs go before an import's bulk ones (jobs/job-priority.ts); fetch
 * jobs have loops of their own (claim-fetch-jobs.ts).
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { claimedBy } from './claimed-by';
import { enrichmentJobs } from '../db/schema';
import type { EventLog } from '../events/event-log';
import { emitJobStatus, type JobRow } from './job-status-event';

export async function claimNextJob(log: EventLog, workerId: string, leaseMs: number): Promise<JobRow | null> {
  return log.transaction(async (tx) => {
    const [candidate] = await tx.db
      .select({ id: enrichmentJobs.id })
      .from(enrichmentJobs)
      .where(and(eq(enrichmentJobs.kind, 'enrich'), eq(enrichmentJobs.status, 'queued'), lte(enrichmentJobs.runAfter, sql`now()`)))
      .orderBy(asc(enrichmentJobs.priority), asc(enrichmentJobs.runAfter), asc(enrichmentJobs.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!candidate) return null;
    const [job] = await tx.db
      .update(enrichmentJobs)
      .set(claimedBy(workerId, leaseMs))
      .where(eq(enrichmentJobs.id, candidate.id))
      .returning();
    emitJobStatus(tx, job!, 'queued');
    return job!;
  });
}

/**
 * A worker shutting down hands its job back: queued again at once, the interrupted attempt not
 * counted, its lease and its track claims released so another worker can claim them without
 * waiting for expiry.
 */
import { and, eq, sql } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';
import type { EventLog } from '../events/event-log';
import { releaseJobClaims } from '../tracks/track-claims';
import { emitJobStatus } from './job-status-event';

export async function releaseJob(log: EventLog, jobId: string, workerId: string): Promise<boolean> {
  return log.transaction(async (tx) => {
    const [released] = await tx.db
      .update(enrichmentJobs)
      .set({
        status: 'queued',
        attempt: sql`greatest(${enrichmentJobs.attempt} - 1, 0)`,
        runAfter: sql`now()`,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(enrichmentJobs.id, jobId), eq(enrichmentJobs.leaseOwner, workerId), eq(enrichmentJobs.status, 'running')))
      .returning();
    if (!released) return false;
    emitJobStatus(tx, released, 'running', { error: 'The worker shut down; the job was handed back to the queue.' });
    await releaseJobClaims(tx, released);
    return true;
  });
}

/**
 * The sweeper: a running job whose lease expired belongs to a worker that died or stalled. It is
 * re-queued at once (the crash is not the job's fault, but it still counts as an attempt, so a
 * job that kills its workers ends `failed` instead of looping).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';
import type { EventLog } from '../events/event-log';
import { failJobAttempt, type RetryPolicy } from './fail-job-attempt';

export const LEASE_EXPIRED_ERROR = 'The worker running this job stopped responding (its lease expired); the job was re-queued.';

export async function sweepExpiredLeases(log: EventLog, policy: RetryPolicy, limit = 50): Promise<number> {
  return log.transaction(async (tx) => {
    const expired = await tx.db
      .select()
      .from(enrichmentJobs)
      .where(and(eq(enrichmentJobs.status, 'running'), lt(enrichmentJobs.leaseExpiresAt, sql`now()`)))
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const job of expired) await failJobAttempt(tx, job, LEASE_EXPIRED_ERROR, { ...policy, retryAtOnce: true });
    return expired.length;
  });
}

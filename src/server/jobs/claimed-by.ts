/** What claiming a job writes, whichever loop claims it: running, one more attempt, this worker's lease. */
import { sql } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';

export function claimedBy(workerId: string, leaseMs: number) {
  return {
    status: 'running' as const,
    attempt: sql`${enrichmentJobs.attempt} + 1`,
    leaseOwner: workerId,
    leaseExpiresAt: sql`now() + ${leaseMs} * interval '1 millisecond'`,
    startedAt: sql`coalesce(${enrichmentJobs.startedAt}, now())`,
    updatedAt: sql`now()`,
    lastError: null,
  };
}

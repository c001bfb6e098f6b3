/** A job whose phases all ran: `completed`, with its counters, in one transaction with its event. */
import { eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import type { Tx } from '../events/event-log';
import { keysOf } from './fail-job-attempt';
import { emitJobStatus, type JobRow } from './job-status-event';

export async function completeJob(tx: Tx, job: JobRow): Promise<JobRow> {
  const [done] = await tx.db
    .update(enrichmentJobs)
    .set({ status: 'completed', leaseOwner: null, leaseExpiresAt: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(enrichmentJobs.id, job.id))
    .returning();
  emitJobStatus(tx, done!, 'running');
  await logActivity(tx, {
    workspaceId: job.workspaceId,
    kind: 'job_completed',
    message: `Enrichment completed: ${done!.tracksDone} track${done!.tracksDone === 1 ? '' : 's'} enriched, ${done!.tracksFailed} failed.`,
    keys: keysOf(job),
  });
  return done!;
}

/** `jobs.retry`: a failed (or cancelled) job is queued again with a fresh set of attempts. */
import { eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import type { Runtime } from '../runtime';
import { keysOf } from './fail-job-attempt';
import { JobError } from './job-error';
import { lockJob } from './lock-job';
import { emitJobStatus, type JobRow } from './job-status-event';

export async function retryJob(runtime: Runtime, workspaceId: string, jobId: string): Promise<JobRow> {
  return runtime.log.transaction(async (tx) => {
    const job = await lockJob(tx, workspaceId, jobId);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new JobError('JOB_NOT_RETRYABLE', `Job ${jobId} is ${job.status}; only a failed or cancelled job can be retried.`);
    }
    const [queued] = await tx.db
      .update(enrichmentJobs)
      .set({
        status: 'queued',
        attempt: 0,
        phase: null,
        runAfter: sql`now()`,
        cancelRequested: false,
        finishedAt: null,
        tracksDone: 0,
        tracksFailed: 0,
        tracksSkipped: 0,
        updatedAt: sql`now()`,
      })
      .where(eq(enrichmentJobs.id, job.id))
      .returning();
    emitJobStatus(tx, queued!, job.status);
    await logActivity(tx, { workspaceId, kind: 'job_retried', message: 'Enrichment job queued again (retry).', keys: keysOf(job) });
    return queued!;
  });
}

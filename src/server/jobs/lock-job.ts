/**
 * Reads a workspace's job for update (the row stays locked until the transaction ends), or throws
 * JOB_NOT_FOUND: an enrichment or refresh job. An import's fetch jobs are not jobs a caller can
 * name: the import owns them.
 */
import { and, eq } from 'drizzle-orm';
import { enrichmentJobs } from '../db/schema';
import { onJobBoard } from '../history/refresh-jobs';
import type { Tx } from '../events/event-log';
import { JobError } from './job-error';

export async function lockJob(tx: Tx, workspaceId: string, jobId: string) {
  const [job] = await tx.db
    .select()
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.workspaceId, workspaceId), eq(enrichmentJobs.id, jobId), onJobBoard))
    .for('update');
  if (!job) throw new JobError('JOB_NOT_FOUND', `Job ${jobId} was not found in this workspace.`);
  return job;
}

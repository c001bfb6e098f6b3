import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { enrichmentJobs, jobStatuses, type JobStatus } from '../db/schema';
import { onJobBoard } from '../history/refresh-jobs';

type JobRow = typeof enrichmentJobs.$inferSelect;

/**
 * A job as callers see it: without the worker's lease (who holds it, until when). Callers see
 * enrichment jobs and refresh jobs (`phases: [0]`, a tracked playlist fetched again on schedule);
 * an import's fetch jobs are its own, reported by its progress.
 */
export type JobDto = Omit<ReturnType<typeof toDto<JobRow>>, 'leaseOwner' | 'leaseExpiresAt' | 'kind' | 'importId'>;

export function jobDto(row: JobRow): JobDto {
  const { leaseOwner: _owner, leaseExpiresAt: _expires, kind: _kind, importId: _importId, ...shown } = toDto(row);
  return shown;
}

export async function getJob(db: Executor, workspaceId: string, jobId: string): Promise<JobDto | null> {
  const [row] = await db
    .select()
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.workspaceId, workspaceId), eq(enrichmentJobs.id, jobId), onJobBoard));
  return row ? jobDto(row) : null;
}

export async function listJobs(
  db: Executor,
  workspaceId: string,
  filter: { jobId?: string; playlistId?: string; statuses?: readonly JobStatus[]; limit?: number },
): Promise<JobDto[]> {
  const conditions: (SQL | undefined)[] = [eq(enrichmentJobs.workspaceId, workspaceId), onJobBoard];
  if (filter.jobId) conditions.push(eq(enrichmentJobs.id, filter.jobId));
  if (filter.playlistId) conditions.push(eq(enrichmentJobs.playlistId, filter.playlistId));
  if (filter.statuses) conditions.push(inArray(enrichmentJobs.status, [...filter.statuses]));
  const found = await db
    .select()
    .from(enrichmentJobs)
    .where(and(...conditions))
    .orderBy(desc(enrichmentJobs.createdAt), desc(enrichmentJobs.id))
    .limit(filter.limit ?? 100);
  return found.map(jobDto);
}

/** What a new jobStatus subscriber sees first: the jobs it asked about, or active and recent ones. */
export async function jobsSnapshot(db: Executor, workspaceId: string, filter: { jobId?: string; playlistId?: string }) {
  if (filter.jobId || filter.playlistId) return listJobs(db, workspaceId, { ...filter, limit: 200 });
  const active = await listJobs(db, workspaceId, { statuses: ['queued', 'running'], limit: 500 });
  const recent = await listJobs(db, workspaceId, { limit: 50 });
  const seen = new Set(active.map((job) => job.id));
  return [...active, ...recent.filter((job) => !seen.has(job.id))];
}

export { jobStatuses };
export const activeStatus = (status: JobStatus) => status === 'queued' || status === 'running';

/**
 * Enqueues an enrichment job, idempotently: while a job for the same playlist, phase set and
 * track set is queued or running, enqueueing again returns that job instead of a second one.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import type { Tx } from '../events/event-log';
import { JOB_PRIORITY, type JobPriority } from './job-priority';
import { emitJobStatus, type JobRow } from './job-status-event';

export interface EnqueueInput {
  workspaceId: string;
  playlistId: string | null;
  /** Chosen tracks (re-enrich); omitted means the playlist's tracks that need enrichment. */
  trackIds?: string[] | null;
  phases?: number[];
  maxAttempts: number;
  /** Who asked, for the activity history ("added playlist", "refresh", "re-enrich"). */
  reason: string;
  /** Interactive unless said otherwise: a person asked for it. */
  priority?: JobPriority;
}

export async function enqueueJob(tx: Tx, input: EnqueueInput): Promise<{ job: JobRow; created: boolean }> {
  const phases = [...new Set(input.phases ?? [1, 2, 3])].sort();
  const trackIds = input.trackIds ? [...new Set(input.trackIds)].sort() : null;
  // Two concurrent enqueues for one playlist must not both see "no active job": serialize them.
  await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`enqueue:${input.workspaceId}:${input.playlistId ?? trackIds?.join(',')}`}))`);
  const active = await tx.db
    .select()
    .from(enrichmentJobs)
    .where(
      and(
        eq(enrichmentJobs.workspaceId, input.workspaceId),
        eq(enrichmentJobs.kind, 'enrich'),
        input.playlistId ? eq(enrichmentJobs.playlistId, input.playlistId) : sql`${enrichmentJobs.playlistId} IS NULL`,
        inArray(enrichmentJobs.status, ['queued', 'running']),
      ),
    );
  const same = active.find(
    (job) => JSON.stringify([...job.phases].sort()) === JSON.stringify(phases) && JSON.stringify(job.trackIds ?? null) === JSON.stringify(trackIds),
  );
  if (same) return { job: same, created: false };

  const [job] = await tx.db
    .insert(enrichmentJobs)
    .values({
      workspaceId: input.workspaceId,
      playlistId: input.playlistId,
      trackIds,
      phases,
      maxAttempts: input.maxAttempts,
      priority: input.priority ?? JOB_PRIORITY.interactive,
    })
    .returning();
  emitJobStatus(tx, job!, null);
  await logActivity(tx, {
    workspaceId: input.workspaceId,
    kind: 'job_queued',
    message: `Enrichment job queued (${input.reason}).`,
    keys: input.playlistId ? { jobId: job!.id, playlistId: input.playlistId } : { jobId: job!.id },
  });
  return { job: job!, created: true };
}

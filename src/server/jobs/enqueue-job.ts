/**
 * Enqueues an enrichment job, idempotently: while a job for the same playlist, phase set and
 * track set is queued or running, enqueueing again returns that job instead of a second one (and
 * a person asking for it makes that job `force`, as a new job would have been).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { enrichmentJobs } from '../db/schema';
import { enrichmentPhases } from '../events/catalog';
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
  /**
   * A person asked for this run (re-enrich, "enrich now"): it enriches tracks even if they were
   * enriched within TRACK_FRESHNESS_MS (tracks/track-claims.ts). Automatic jobs (a playlist
   * added, an import, a refresh) leave it false.
   */
  force?: boolean;
}

export async function enqueueJob(tx: Tx, input: EnqueueInput): Promise<{ job: JobRow; created: boolean }> {
  const phases = [...new Set(input.phases ?? enrichmentPhases)].sort();
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
  if (same && input.force && !same.force) {
    const [forced] = await tx.db.update(enrichmentJobs).set({ force: true, updatedAt: sql`now()` }).where(eq(enrichmentJobs.id, same.id)).returning();
    return { job: forced!, created: false };
  }
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
      force: input.force ?? false,
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

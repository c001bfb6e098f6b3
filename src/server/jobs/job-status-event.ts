/** The job_status_changed event of one transition, emitted in the transaction that makes it. */
import type { enrichmentJobs, JobStatus } from '../db/schema';
import type { EnrichmentPhase } from '../events/catalog';
import type { Tx } from '../events/event-log';

export type JobRow = typeof enrichmentJobs.$inferSelect;

export function emitJobStatus(
  tx: Tx,
  job: JobRow,
  from: JobStatus | null,
  extra: { error?: string | null; retryAt?: Date | null } = {},
): void {
  tx.emit({
    type: 'job_status_changed',
    workspaceId: job.workspaceId,
    keys: job.playlistId ? { jobId: job.id, playlistId: job.playlistId } : { jobId: job.id },
    data: {
      jobId: job.id,
      playlistId: job.playlistId,
      from,
      to: job.status,
      attempt: job.attempt,
      phase: (job.phase as EnrichmentPhase | null) ?? null,
      error: extra.error ?? null,
      retryAt: extra.retryAt ? extra.retryAt.toISOString() : null,
      skipped: job.tracksSkipped,
    },
  });
}

/**
 * A job whose phases all ran: `completed`, with its counters, in one transaction with its event;
 * any track claim it still holds is released (its tracks released theirs as they finished).
 */
import { logActivity } from '../activity/log-activity';
import type { Tx } from '../events/event-log';
import { releaseJobClaims } from '../tracks/track-claims';
import { keysOf } from './fail-job-attempt';
import { markJobCompleted } from './job-row-transitions';
import { emitJobStatus, type JobRow } from './job-status-event';

export async function completeJob(tx: Tx, job: JobRow): Promise<JobRow> {
  const done = await markJobCompleted(tx.db, job.id);
  emitJobStatus(tx, done, 'running');
  await releaseJobClaims(tx, job);
  const skipped = done.tracksSkipped > 0 ? `, ${done.tracksSkipped} skipped (enriched by another job, or recently)` : '';
  await logActivity(tx, {
    workspaceId: job.workspaceId,
    kind: 'job_completed',
    message: `Enrichment completed: ${done.tracksDone} track${done.tracksDone === 1 ? '' : 's'} enriched, ${done.tracksFailed} failed${skipped}.`,
    keys: keysOf(job),
  });
  return done;
}

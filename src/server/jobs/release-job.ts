/**
 * A worker shutting down hands its job back: queued again at once, the interrupted attempt not
 * counted, its lease and its track claims released so another worker can claim them without
 * waiting for expiry.
 */
import type { EventLog } from '../events/event-log';
import { releaseJobClaims } from '../tracks/track-claims';
import { handBackJobs } from './job-row-transitions';
import { emitJobStatus } from './job-status-event';

export async function releaseJob(log: EventLog, jobId: string, workerId: string): Promise<boolean> {
  return log.transaction(async (tx) => {
    const [released] = await handBackJobs(tx.db, [jobId], workerId);
    if (!released) return false;
    emitJobStatus(tx, released, 'running', { error: 'The worker shut down; the job was handed back to the queue.' });
    await releaseJobClaims(tx, released);
    return true;
  });
}

/** Runs the lease sweeper on an interval (JOB_SWEEP_INTERVAL_MS; 0 = off). */
import { sweepExpiredLeases } from '../jobs/sweep-expired-leases';
import { log } from '../log';
import type { Runtime } from '../runtime';
import { startTimer, type StoppableTimer } from './stoppable-timer';

export function startLeaseSweeper(runtime: Runtime, intervalMs: number): StoppableTimer {
  const policy = { backoffBaseMs: runtime.config.JOB_BACKOFF_BASE_MS, backoffMaxMs: runtime.config.JOB_BACKOFF_MAX_MS };
  return startTimer(intervalMs, async () => {
    try {
      const swept = await sweepExpiredLeases(runtime.log, policy);
      if (swept > 0) log.info({ swept }, 're-queued jobs whose worker stopped responding');
    } catch (error) {
      log.warn({ err: error }, 'lease sweep failed');
    }
  });
}

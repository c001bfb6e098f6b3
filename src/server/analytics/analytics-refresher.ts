/** Refreshes every workspace's analytics on an interval (ANALYTICS_REFRESH_MS; 0 = off). */
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';
import { log } from '../log';
import type { Runtime } from '../runtime';
import { refreshAllAnalytics } from './refresh-analytics';

export function startAnalyticsRefresher(runtime: Runtime, intervalMs: number): StoppableTimer {
  return startTimer(intervalMs, async () => {
    try {
      await refreshAllAnalytics(runtime);
    } catch (error) {
      log.warn({ err: error }, 'analytics refresh failed');
    }
  });
}

/** Runs the follower poll on an interval (FOLLOWER_POLL_MS; 0 = off). */
import { log } from '../log';
import type { Runtime } from '../runtime';
import { pollFollowersOnce } from './poll-followers';
import { startTimer, type StoppableTimer } from '../enrichment/stoppable-timer';

export function startFollowerPoller(runtime: Runtime, intervalMs: number): StoppableTimer {
  return startTimer(intervalMs, async (signal) => {
    try {
      await pollFollowersOnce(runtime, signal);
    } catch (error) {
      log.warn({ err: error }, 'follower poll failed');
    }
  });
}

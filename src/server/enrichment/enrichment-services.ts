/**
 * The pipeline's background services, each switched by config: the worker (WORKER_IN_SERVER in
 * the web process; always in `npm run worker`) with its enrichment loops (WORKER_CONCURRENCY)
 * and its fetch loops for imported playlists (FETCH_CONCURRENCY), the lease sweeper, the
 * follower poller and the analytics refresher. A 0 ms interval turns a timer off.
 *
 * A process running the worker's loops joins the cluster (cluster/cluster-members.ts): it beats a
 * heartbeat, and its provider rate limits are its share of the configured, cluster-wide rates.
 */
import { startAnalyticsRefresher } from '../analytics/analytics-refresher';
import { joinCluster, type ClusterMember } from '../cluster/cluster-members';
import { startFollowerPoller } from '../metrics/follower-poller';
import type { Runtime } from '../runtime';
import { scoreConfig } from '../songwriters/score-config';
import { startLeaseSweeper } from './lease-sweeper';
import type { StoppableTimer } from './stoppable-timer';
import { FetchWorker } from './fetch-worker';
import { EnrichmentWorker } from './worker';

export interface EnrichmentServices {
  worker: EnrichmentWorker | null;
  fetcher: FetchWorker | null;
  /** This process in cluster_members, while its loops call providers. */
  member: ClusterMember | null;
  stop(): Promise<void>;
}

export function startEnrichmentServices(runtime: Runtime, opts: { worker: boolean; pollers: boolean }): EnrichmentServices {
  const { config } = runtime;
  // The label list songwriters are scored with (by the worker's jobs, and by merges and rescores
  // in any process): a file that does not parse stops the process here, with the problem named,
  // instead of failing every job that finishes.
  scoreConfig();
  const worker = opts.worker ? new EnrichmentWorker(runtime, { concurrency: config.WORKER_CONCURRENCY, pollMs: config.WORKER_POLL_MS }).start() : null;
  const fetcher =
    opts.worker && config.FETCH_CONCURRENCY > 0
      ? new FetchWorker(runtime, { concurrency: config.FETCH_CONCURRENCY, batchSize: config.FETCH_BATCH_SIZE, pollMs: config.WORKER_POLL_MS, workerId: worker ? `${worker.id}:fetch` : undefined }).start()
      : null;
  const memberId = worker?.id ?? fetcher?.id;
  const member = memberId ? joinCluster(runtime, { id: memberId, kind: opts.pollers ? 'web' : 'worker', callsProviders: true }) : null;
  const timers: StoppableTimer[] = [];
  if (config.JOB_SWEEP_INTERVAL_MS > 0) timers.push(startLeaseSweeper(runtime, config.JOB_SWEEP_INTERVAL_MS));
  if (opts.pollers && config.FOLLOWER_POLL_MS > 0) timers.push(startFollowerPoller(runtime, config.FOLLOWER_POLL_MS));
  if (opts.pollers && config.ANALYTICS_REFRESH_MS > 0) timers.push(startAnalyticsRefresher(runtime, config.ANALYTICS_REFRESH_MS));
  let stopped: Promise<void> | null = null;
  return {
    worker,
    fetcher,
    member,
    stop() {
      stopped ??= (async () => {
        await Promise.all([worker?.stop(), fetcher?.stop()]);
        await Promise.all([...timers.map((timer) => timer.stop()), member?.stop()]);
      })();
      return stopped;
    },
  };
}

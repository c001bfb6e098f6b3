/**
 * What the operator page draws: once a second, the app server's figures (the same as /metrics)
 * with counters turned into rates over the last interval. Process-wide, so only operators see it.
 */
import { flowStats } from '../events/flow-control';
import type { AppFigures } from './metrics';

export interface OpsSample {
  at: string;
  connections: { ws: number; sse: number };
  subscriptions: Record<string, number>;
  /** Per second over the last interval. */
  publishedPerSecond: number;
  deliveredPerSecond: number;
  conflatedPerSecond: number;
  /** Resync messages sent in the last interval, by reason. */
  resyncs: Record<string, number>;
  queuedBytes: number;
  outboxLag: number;
  watchedGrants: number;
  heapMb: number;
  rssMb: number;
}


function counters() {
  return { published: flowStats.published, delivered: flowStats.delivered, conflated: flowStats.conflated, resyncs: { ...flowStats.resyncsByReason }, at: performance.now() };
}

/** Samples every `intervalMs` until `signal` aborts. */
export async function* opsSamples(figures: AppFigures, intervalMs: number, signal: AbortSignal | undefined): AsyncGenerator<OpsSample> {
  let before = counters();
  while (!signal?.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    if (signal?.aborted) return;
    const now = counters();
    const seconds = Math.max(0.001, (now.at - before.at) / 1000);
    const resyncs: Record<string, number> = {};
    for (const [reason, n] of Object.entries(now.resyncs)) if (n > (before.resyncs[reason] ?? 0)) resyncs[reason] = n - (before.resyncs[reason] ?? 0);
    const memory = process.memoryUsage();
    yield {
      at: new Date().toISOString(),
      connections: figures.connections(),
      subscriptions: Object.fromEntries(figures.subscriptionsByProcedure()),
      publishedPerSecond: Math.round((now.published - before.published) / seconds),
      deliveredPerSecond: Math.round((now.delivered - before.delivered) / seconds),
      conflatedPerSecond: Math.round((now.conflated - before.conflated) / seconds),
      resyncs,
      queuedBytes: figures.queuedBytes(),
      outboxLag: await figures.outboxLag(),
      watchedGrants: figures.watchedGrants(),
      heapMb: Math.round(memory.heapUsed / (1 << 20)),
      rssMb: Math.round(memory.rss / (1 << 20)),
    };
    before = now;
  }
}

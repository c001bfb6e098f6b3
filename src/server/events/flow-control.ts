/**
 * Flow control, configured in one place. Per subscriber: volatile events conflate per key and
 * flush at most every `volatileIntervalMs` (metric_update: its catalog minimum, 1 s) with the
 * trailing value always delivered; durable events queue in order and are taken as micro-batches
 * when they pile up; a subscriber with more than `maxQueuedDurable` undelivered durable events
 * is ended with a resync so it resumes from its last id, which bounds its memory.
 */
export interface FlowControl {
  volatileIntervalMs: number;
  maxQueuedDurable: number;
  /** Most durable events delivered as one message. */
  maxBatch: number;
  /** Bytes a transport may hold unsent before the stream stops taking from its queue. */
  maxBufferedBytes: number;
}

export const defaultFlowControl: FlowControl = {
  volatileIntervalMs: 100,
  maxQueuedDurable: 10_000,
  maxBatch: 100,
  maxBufferedBytes: 1 << 20,
};

/** Process-wide counters, for /api/health and the benchmarks. */
export const flowStats = {
  published: 0,
  delivered: 0,
  conflated: 0,
  batched: 0,
  resyncEnded: 0,
};

/**
 * Flow control, configured in one place. Per subscriber: volatile events conflate per key and
 * flush at most every `volatileIntervalMs` (metric_update: its catalog minimum, 1 s) with the
 * trailing value always delivered; durable events queue in order and are taken as micro-batches
 * when they pile up (a lone event goes alone, so light traffic keeps its latency); a subscriber
 * whose undelivered durable events exceed `maxQueuedDurable` or `maxQueuedBytes` is ended with a
 * resync so it resumes from its last id, which bounds the memory a slow client can hold.
 * Per connection (our WebSocket transport): at most `maxSubscriptionsPerConnection` open
 * subscriptions and `maxInboundMessagesPerSecond` requests, beyond which calls get typed errors.
 */
export interface FlowControl {
  volatileIntervalMs: number;
  maxQueuedDurable: number;
  /** Serialized bytes of durable events one subscriber may have queued before it is ended. */
  maxQueuedBytes: number;
  /** Most durable events delivered as one message (1 turns micro-batching off). */
  maxBatch: number;
  /** Bytes a transport may hold unsent before the stream stops taking from its queue. */
  maxBufferedBytes: number;
  maxSubscriptionsPerConnection: number;
  maxInboundMessagesPerSecond: number;
}

export const defaultFlowControl: FlowControl = {
  volatileIntervalMs: 100,
  maxQueuedDurable: 10_000,
  maxQueuedBytes: 4 << 20,
  maxBatch: 100,
  maxBufferedBytes: 1 << 20,
  maxSubscriptionsPerConnection: 100,
  maxInboundMessagesPerSecond: 200,
};

/** Process-wide counters, for /api/health and the benchmarks. */
export const flowStats = {
  /** Events the bus handed to this process's hub. */
  published: 0,
  /** Events turned into JSON: once per event, however many subscribers receive it. */
  serialized: 0,
  /** Events handed to a transport (a batch counts each of its events). */
  delivered: 0,
  /** Volatile values replaced by a newer one before they were sent. */
  conflated: 0,
  /** Messages that carried more than one durable event. */
  batched: 0,
  /** Subscriptions ended with a `slow_consumer` resync. */
  resyncEnded: 0,
  /** Per event type: handed to this process's hub, handed to a subscriber's queue, replaced before it was sent. */
  publishedByType: {} as Record<string, number>,
  fannedOutByType: {} as Record<string, number>,
  conflatedByType: {} as Record<string, number>,
  /** Resync messages sent, by reason. */
  resyncsByReason: {} as Record<string, number>,
};

/** Adds one to a per-type (or per-reason) counter. */
export function countBy(counter: Record<string, number>, key: string, by = 1): void {
  counter[key] = (counter[key] ?? 0) + by;
}

/**
 * The bus hands committed events to this process's subscribers.
 *
 * Contract (every implementation passes tests/events/bus.contract.ts):
 * - `publishCommitted` is called only after the transaction that wrote the events committed;
 *   local listeners receive durable events exactly once each, in outbox (seq) order, across
 *   every process that shares the database.
 * - `publishVolatile` reaches every process's listeners at most once; volatile events are
 *   never stored, so a process that was down misses them (a snapshot restores their value).
 * - A listener is called synchronously with a batch; it must not throw and must not block.
 */
import type { Envelope } from './catalog';

export type BusListener = (events: readonly Envelope[]) => void;

export interface EventBus {
  publishCommitted(events: readonly Envelope[]): void;
  publishVolatile(event: Envelope): void;
  /** Attach a listener; returns the function that detaches it. */
  listen(listener: BusListener): () => void;
  listenerCount(): number;
  close(): Promise<void>;
}

/**
 * Calls every listener with the batch; one that throws is logged and the others still get it
 * (an EventEmitter would stop at the first throw, and the throw would reach the publisher).
 */
export function deliverToListeners(listeners: readonly BusListener[], events: readonly Envelope[], onError: (error: unknown) => void): void {
  for (const listener of listeners) {
    try {
      listener(events);
    } catch (error) {
      onError(error);
    }
  }
}

/** One subscriber's pending events: durable in order, volatile conflated per key. */
import { conflationKey, isDurable, minIntervalMs, type Envelope } from './catalog';
import { flowStats, type FlowControl } from './flow-control';

export type QueueItem =
  | { kind: 'durable'; events: Envelope[] }
  | { kind: 'volatile'; events: Envelope[] }
  | { kind: 'overflow' };

interface VolatileSlot {
  pending: Envelope | null;
  lastSentAt: number;
  intervalMs: number;
}

export class SubscriberQueue {
  private durable: Envelope[] = [];
  private readonly volatile = new Map<string, VolatileSlot>();
  private overflowed = false;
  private closed = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly flow: FlowControl,
    private readonly now: () => number = Date.now,
  ) {}

  push(event: Envelope): void {
    if (this.overflowed || this.closed) return;
    if (isDurable(event.type)) {
      if (this.durable.length >= this.flow.maxQueuedDurable) {
        // Drop what is queued: the subscriber resumes from its last delivered id instead.
        this.overflowed = true;
        this.durable = [];
        this.volatile.clear();
      } else {
        this.durable.push(event);
      }
      this.notify();
      return;
    }
    const key = conflationKey(event);
    let slot = this.volatile.get(key);
    if (!slot) {
      slot = { pending: null, lastSentAt: 0, intervalMs: Math.max(this.flow.volatileIntervalMs, minIntervalMs(event.type) ?? 0) };
      this.volatile.set(key, slot);
    }
    if (slot.pending) flowStats.conflated++;
    slot.pending = event;
    this.notify();
  }

  /** The next thing to deliver, waiting for it; null once the signal aborts or the queue closes. */
  async take(signal?: AbortSignal): Promise<QueueItem | null> {
    for (;;) {
      if (this.closed || signal?.aborted) return null;
      if (this.overflowed) return { kind: 'overflow' };
      if (this.durable.length > 0) {
        const events = this.durable.splice(0, this.flow.maxBatch);
        if (events.length > 1) flowStats.batched++;
        return { kind: 'durable', events };
      }
      const due = this.takeDueVolatile();
      if (due.events.length > 0) return { kind: 'volatile', events: due.events };
      await this.waitFor(due.nextDueInMs, signal);
    }
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  private takeDueVolatile(): { events: Envelope[]; nextDueInMs: number | null } {
    const now = this.now();
    const events: Envelope[] = [];
    let nextDueInMs: number | null = null;
    for (const [key, slot] of this.volatile) {
      const wait = slot.lastSentAt + slot.intervalMs - now;
      if (!slot.pending) {
        if (wait <= 0) this.volatile.delete(key); // idle: forget it, so memory follows live keys only
        continue;
      }
      if (wait <= 0) {
        events.push(slot.pending);
        slot.pending = null;
        slot.lastSentAt = now;
      } else if (nextDueInMs === null || wait < nextDueInMs) {
        nextDueInMs = wait;
      }
    }
    return { events, nextDueInMs };
  }

  private waitFor(ms: number | null, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      if (ms !== null) this.timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private notify(): void {
    this.wake?.();
  }
}

/**
 * One subscriber's pending events: durable in order, volatile conflated per key. Its durable part
 * is bounded by count and by serialized bytes; past either bound it drops what it holds and
 * reports `overflow` once, so a client that stops reading costs at most the bound.
 */
import { conflationKey, isDurable, minIntervalMs, type Envelope } from './catalog';
import { countBy, flowStats, type FlowControl } from './flow-control';
import { encodedEvent, seqOfEvent } from './shared-event';

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
  private durableBytes = 0;
  /** Made on the first volatile event: most subscriptions never see one, and each costs memory. */
  private volatile: Map<string, VolatileSlot> | null = null;
  private overflowed = false;
  private closed = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private hooked: AbortSignal | null = null;
  private hookedAborted = false;

  constructor(
    private readonly flow: FlowControl,
    private readonly now: () => number = Date.now,
  ) {}

  push(event: Envelope): void {
    if (this.overflowed || this.closed) return;
    if (isDurable(event.type)) {
      const bytes = encodedEvent(event).length;
      if (this.durable.length >= this.flow.maxQueuedDurable || this.durableBytes + bytes > this.flow.maxQueuedBytes) {
        // Drop what is queued: the subscriber resumes from its last delivered id instead.
        this.overflowed = true;
        this.durable = [];
        this.durableBytes = 0;
        this.volatile = null;
      } else {
        this.durable.push(event);
        this.durableBytes += bytes;
      }
      this.notify();
      return;
    }
    const key = conflationKey(event);
    const volatile = (this.volatile ??= new Map());
    let slot = volatile.get(key);
    if (!slot) {
      slot = { pending: null, lastSentAt: 0, intervalMs: Math.max(this.flow.volatileIntervalMs, minIntervalMs(event.type) ?? 0) };
      volatile.set(key, slot);
    }
    if (slot.pending) {
      flowStats.conflated++;
      countBy(flowStats.conflatedByType, event.type);
    }
    slot.pending = event;
    this.notify();
  }

  /** The next thing to deliver, waiting for it; null once the signal aborts or the queue closes. */
  async take(signal?: AbortSignal): Promise<QueueItem | null> {
    this.hook(signal);
    for (;;) {
      if (this.closed || (signal && this.hookedAborted)) return null;
      const item = this.takeReady();
      if (item) return item;
      await this.waitFor(this.nextVolatileDueInMs());
    }
  }

  /**
   * What is ready now, without waiting: the overflow, else up to `maxBatch` durable events, else
   * the volatile values that are due; null when nothing is. A live subscription's delivery calls
   * this on every fan-out tick (see delivery.ts), so an empty queue answers without allocating.
   */
  takeReady(): QueueItem | null {
    if (this.closed) return null;
    if (this.overflowed) return { kind: 'overflow' };
    if (this.durable.length > 0) {
      let events: Envelope[];
      if (this.durable.length <= this.flow.maxBatch) {
        // Everything queued goes: no per-event byte accounting needed.
        events = this.durable;
        this.durable = [];
        this.durableBytes = 0;
      } else {
        events = this.durable.splice(0, this.flow.maxBatch);
        for (const event of events) this.durableBytes -= encodedEvent(event).length;
      }
      if (events.length > 1) flowStats.batched++;
      return { kind: 'durable', events };
    }
    if (this.volatile === null || this.volatile.size === 0) return null;
    const due = this.takeDueVolatile(this.volatile);
    return due.length > 0 ? { kind: 'volatile', events: due } : null;
  }

  /** Milliseconds until the next held volatile value is due; null when none is held. */
  nextVolatileDueInMs(): number | null {
    if (this.volatile === null || this.volatile.size === 0) return null;
    const now = this.now();
    let next: number | null = null;
    for (const slot of this.volatile.values()) {
      if (!slot.pending) continue;
      const wait = Math.max(0, slot.lastSentAt + slot.intervalMs - now);
      if (next === null || wait < next) next = wait;
    }
    return next;
  }

  /**
   * The seq of the oldest durable event queued (Infinity when none is). The bus hands out durable
   * events in seq order, so every event after it that this subscriber wants is queued too: a
   * replay can stop there.
   */
  firstDurableSeq(): number {
    return this.durable.length > 0 ? seqOfEvent(this.durable[0]!) : Infinity;
  }

  /** True once durable events overflowed the bounds: the next take() reports it. */
  hasOverflowed(): boolean {
    return this.overflowed;
  }

  /** Serialized bytes of the durable events waiting (volatile slots hold one value per key). */
  queuedBytes(): number {
    return this.durableBytes;
  }

  close(): void {
    this.closed = true;
    this.notify();
  }

  private takeDueVolatile(volatile: Map<string, VolatileSlot>): Envelope[] {
    const now = this.now();
    const events: Envelope[] = [];
    for (const [key, slot] of volatile) {
      const wait = slot.lastSentAt + slot.intervalMs - now;
      if (!slot.pending) {
        if (wait <= 0) volatile.delete(key); // idle: forget it, so memory follows live keys only
        continue;
      }
      if (wait <= 0) {
        events.push(slot.pending);
        slot.pending = null;
        slot.lastSentAt = now;
      }
    }
    return events;
  }

  // One abort listener per signal for the queue's life, not one per wait, and a flag instead of
  // `signal.aborted` per take: a live subscriber takes once per message, and both showed in profiles.
  private hook(signal?: AbortSignal): void {
    if (!signal || this.hooked === signal) return;
    const hooked = signal;
    this.hooked = hooked;
    this.hookedAborted = hooked.aborted;
    hooked.addEventListener(
      'abort',
      () => {
        if (this.hooked === hooked) this.hookedAborted = true;
        this.notify();
      },
      { once: true },
    );
  }

  private waitFor(ms: number | null): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = null;
        this.wake = null;
        resolve();
      };
      if (ms !== null) this.timer = setTimeout(this.wake, ms);
    });
  }

  private notify(): void {
    this.wake?.();
  }
}

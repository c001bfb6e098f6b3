/**
 * One bus listener per process fans events out to its subscribers, indexed by workspace, so an
 * event costs one lookup plus a cheap queue push per interested subscriber (no emitter iterator
 * per subscriber). The listener is attached while there is at least one subscriber.
 *
 * Each event is turned into JSON once however many subscribers receive it (shared-event.ts): the
 * queues count its bytes and the transports build their frames from that same text.
 */
import type { EventBus } from './bus';
import type { Envelope, EventType } from './catalog';
import { log } from '../log';
import { countBy, flowStats } from './flow-control';

export interface Subscriber {
  workspaceId: string;
  /** What it is, for /metrics (a subscription's procedure). */
  label?: string;
  types: ReadonlySet<EventType>;
  matches(event: Envelope): boolean;
  deliver(event: Envelope): void;
  /** Serialized bytes it holds undelivered (what a slow client costs this process). */
  queuedBytes?(): number;
}

/** Something that writes what it was handed during a fan-out tick, once, when the tick is over. */
export interface TickFlush {
  flush(): void;
}

const dueFlushes: TickFlush[] = [];

/**
 * Calls `target.flush()` once after the current synchronous run (every event published in it has
 * been fanned out by then), so a live socket writes a tick's events together: one batch message
 * when they piled up, and one `writev` for all its frames. The caller keeps its own "scheduled"
 * flag so it is queued at most once per tick.
 */
export function flushAfterFanout(target: TickFlush): void {
  if (dueFlushes.push(target) === 1) process.nextTick(flushDue);
}

function flushDue(): void {
  // By index: a flush may queue another target, which then runs in this same pass.
  for (let i = 0; i < dueFlushes.length; i++) {
    try {
      dueFlushes[i]!.flush();
    } catch (error) {
      // One subscriber's failure must not stall the others' frames.
      log.error({ err: error }, 'a live subscriber failed to flush');
    }
  }
  dueFlushes.length = 0;
}

export class SubscriberHub {
  private readonly byWorkspace = new Map<string, Set<Subscriber>>();
  private detach: (() => void) | null = null;
  private count = 0;

  constructor(private readonly bus: EventBus) {}

  add(subscriber: Subscriber): void {
    let set = this.byWorkspace.get(subscriber.workspaceId);
    if (!set) this.byWorkspace.set(subscriber.workspaceId, (set = new Set()));
    if (set.has(subscriber)) return;
    set.add(subscriber);
    this.count++;
    this.detach ??= this.bus.listen(this.onEvents);
  }

  /** Takes a subscriber out (a method, not a closure per subscriber: a connected subscriber's memory is a budget). */
  remove(subscriber: Subscriber): void {
    const set = this.byWorkspace.get(subscriber.workspaceId);
    if (!set?.delete(subscriber)) return;
    if (set.size === 0) this.byWorkspace.delete(subscriber.workspaceId);
    if (--this.count === 0) {
      this.detach?.();
      this.detach = null;
    }
  }

  size(): number {
    return this.count;
  }

  /** Open subscriptions by what each is (its procedure), for /metrics. */
  countByLabel(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const set of this.byWorkspace.values()) {
      for (const subscriber of set) {
        const label = subscriber.label ?? 'other';
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
    }
    return counts;
  }

  /** Bytes queued for every subscriber of this process, undelivered. */
  queuedBytes(): number {
    let total = 0;
    for (const set of this.byWorkspace.values()) for (const subscriber of set) total += subscriber.queuedBytes?.() ?? 0;
    return total;
  }

  private readonly onEvents = (events: readonly Envelope[]): void => {
    for (const event of events) {
      flowStats.published++;
      countBy(flowStats.publishedByType, event.type);
      const set = this.byWorkspace.get(event.workspaceId);
      if (!set) continue;
      let fannedOut = 0;
      for (const subscriber of set) {
        if (subscriber.types.has(event.type) && subscriber.matches(event)) {
          subscriber.deliver(event);
          fannedOut++;
        }
      }
      if (fannedOut > 0) countBy(flowStats.fannedOutByType, event.type, fannedOut);
    }
  };
}

/**
 * The body of every subscription procedure: snapshot or replay, then live events, with no gap
 * and no duplicate between them.
 */
import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { Envelope, EventType } from './catalog';
import { parseEventId } from './event-id';
import { seqOf, type EventLog, type ResyncReason } from './event-log';
import { flowStats, type FlowControl } from './flow-control';
import type { SubscriberHub } from './hub';
import { SubscriberQueue } from './subscriber-queue';

export type StreamMessage<T extends EventType, S> =
  | { kind: 'snapshot'; snapshot: S }
  | { kind: 'resync'; reason: ResyncReason; message: string }
  | { kind: 'event'; event: Envelope<T> }
  /** Durable events that piled up, in order; the message's id is the last one's. */
  | { kind: 'batch'; events: Envelope<T>[] };

/** What the transport says about its socket, so a slow reader holds the queue, not the socket buffer. */
export interface Congestion {
  bufferedBytes(): number;
}

export interface StreamOptions<T extends EventType, S> {
  log: EventLog;
  hub: SubscriberHub;
  flow: FlowControl;
  workspaceId: string;
  types: readonly T[];
  matches: (event: Envelope<T>) => boolean;
  snapshot: () => Promise<S>;
  lastEventId?: string | null;
  signal?: AbortSignal;
  congestion?: Congestion | null;
}

const REPLAY_PAGE = 500;

const resyncMessages: Record<ResyncReason, string> = {
  other_epoch: 'That event id belongs to another database (it was wiped or restored); here is the current state.',
  unknown_id: 'That event id is not one this server has issued; here is the current state.',
  expired: 'The events after that id are no longer kept; here is the current state.',
  slow_consumer: 'This connection fell too far behind; resubscribe from the last id received.',
};

export async function* eventStream<T extends EventType, S>(
  opts: StreamOptions<T, S>,
): AsyncGenerator<TrackedEnvelope<StreamMessage<T, S>>, void, unknown> {
  const { log, signal } = opts;
  const queue = new SubscriberQueue(opts.flow);
  // Attach before reading the outbox: an event committed while the replay query runs is then
  // in the queue (and skipped there if the replay already sent it), never in neither.
  const remove = opts.hub.add({
    workspaceId: opts.workspaceId,
    types: new Set<EventType>(opts.types),
    matches: opts.matches as (event: Envelope) => boolean,
    deliver: (event) => queue.push(event),
    queuedBytes: () => queue.queuedBytes(),
  });
  try {
    let lastSeq: number;
    const position = opts.lastEventId ? parseEventId(opts.lastEventId) : null;
    const problem = position ? await log.resumeProblem(position) : null;
    if (!position || problem) {
      // Read the head before the snapshot: what commits in between is replayed on top of it.
      lastSeq = await log.head();
      if (problem) yield tracked(log.idOf(lastSeq), { kind: 'resync', reason: problem, message: resyncMessages[problem] });
      yield tracked(log.idOf(lastSeq), { kind: 'snapshot', snapshot: await opts.snapshot() });
    } else {
      lastSeq = position.seq;
    }

    for (;;) {
      const page = await log.readAfter(opts.workspaceId, lastSeq, opts.types, REPLAY_PAGE);
      if (page.length === 0) break;
      lastSeq = seqOf(page.at(-1)!);
      const matching = (page as Envelope<T>[]).filter(opts.matches);
      if (matching.length > 0) yield durableMessage(matching);
      if (page.length < REPLAY_PAGE || signal?.aborted) break;
    }

    // A flag, not `signal.aborted` per message: that getter validates its receiver on every call,
    // which showed up at a few percent of a fan-out profile.
    let aborted = signal?.aborted ?? false;
    signal?.addEventListener('abort', () => (aborted = true), { once: true });
    while (!aborted) {
      if (opts.congestion) await untilDrained(opts.congestion, opts.flow.maxBufferedBytes, queue, signal);
      const item = await queue.take(signal);
      if (!item) return;
      if (item.kind === 'overflow') {
        flowStats.resyncEnded++;
        yield tracked(log.idOf(lastSeq), { kind: 'resync', reason: 'slow_consumer', message: resyncMessages.slow_consumer });
        return;
      }
      if (item.kind === 'durable') {
        const events = item.events as Envelope<T>[];
        // Queued events are in seq order: when the first is new they all are (the common case,
        // once replay is over), and the array goes out as it is.
        const fresh = seqOf(events[0]!) > lastSeq ? events : events.filter((event) => seqOf(event) > lastSeq);
        if (fresh.length === 0) continue;
        lastSeq = seqOf(fresh.at(-1)!);
        flowStats.delivered += fresh.length;
        yield durableMessage(fresh);
      } else {
        for (const event of item.events as Envelope<T>[]) {
          flowStats.delivered++;
          // A volatile event resumes from the last durable id this subscriber was sent.
          yield tracked(log.idOf(lastSeq), { kind: 'event', event });
        }
      }
    }
  } finally {
    remove();
    queue.close();
  }
}

function durableMessage<T extends EventType, S>(events: Envelope<T>[]): TrackedEnvelope<StreamMessage<T, S>> {
  const last = events.at(-1)!;
  return events.length === 1 ? tracked(last.id, { kind: 'event', event: last }) : tracked(last.id, { kind: 'batch', events });
}

/** Waits while the socket holds more than `maxBytes` unsent; an overflowed queue ends the wait at once,
 * so the subscription ends (and lets go of the hub) without waiting for a reader that may never come back. */
async function untilDrained(congestion: Congestion, maxBytes: number, queue: SubscriberQueue, signal?: AbortSignal): Promise<void> {
  while (congestion.bufferedBytes() > maxBytes && !signal?.aborted && !queue.hasOverflowed()) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

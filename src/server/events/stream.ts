/**
 * The body of every subscription procedure: snapshot or replay, then live events, with no gap
 * and no duplicate between them.
 *
 * Live events travel one of two ways. By default the generator takes each message from the
 * subscriber's queue and yields it (createCaller, tRPC's stock handlers, SSE). A transport that
 * writes its socket itself (our WebSocket transport) may offer the stream a `LiveSink`
 * (`offerLiveSink`) before iterating it: the replay, and whatever queued up during it, still go
 * out through the generator; from then on the hub's fan-out writes to the sink once per tick (`DirectDelivery`)
 * with no generator step, promise or message object per event, and the generator only waits to
 * say how the subscription ended. Both ways share the queue, so bounds, conflation, micro-batching
 * and the `slow_consumer` resync are the same.
 *
 * Everything here that exists once per subscription is a class instance, not a closure: this
 * project runs under tsx, whose esbuild `keepNames` gives every closure its own `name` property
 * (about 250 bytes each), and a connected subscriber's memory is one of the fan-out's budgets.
 */
import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { Envelope, EventType } from './catalog';
import { parseEventId } from './event-id';
import { seqOf, type EventLog, type ResyncReason } from './event-log';
import { countBy, flowStats, type FlowControl } from './flow-control';
import { flushAfterFanout, type Subscriber, type SubscriberHub, type TickFlush } from './hub';
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

/**
 * Where a live subscription's events go when a transport writes its socket itself. Called during
 * the hub's fan-out, synchronously: a sink frames and writes, it never waits.
 */
export interface LiveSink {
  /**
   * True while the socket holds more than `maxBytes` it could not send yet. Frames the sink holds
   * back on purpose (to write a tick's frames together) go out before it answers, so they never
   * count as congestion.
   */
  congested(maxBytes: number): boolean;
  /** One event; `trackedId` is its own id when durable, the last durable id sent when volatile. */
  event(trackedId: string, event: Envelope): void;
  /** Durable events that piled up within a tick, in order: one message tracked by the last one's id. */
  batch(events: readonly Envelope[]): void;
  /** The messages of this tick are written: send them (a sink may hold them until now, to write them together). */
  flush(): void;
}

/** The streams eventStream made, and what a transport offered each (see offerLiveSink). */
const handoffs = new WeakMap<object, Handoff>();

interface Handoff {
  sink: LiveSink | null;
}

/**
 * Offers `sink` to a subscription's iterable, before it is iterated: true when it is one of our
 * event streams, which then writes its live events to the sink instead of yielding them.
 */
export function offerLiveSink(iterable: unknown, sink: LiveSink): boolean {
  const handoff = typeof iterable === 'object' && iterable !== null ? handoffs.get(iterable) : undefined;
  if (!handoff) return false;
  handoff.sink = sink;
  return true;
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
  /** What the stream is (its procedure), for /metrics. */
  label?: string;
  /**
   * Aborts when the caller's access is revoked: the stream then ends by throwing the signal's
   * reason (a typed error the transport sends to the client) instead of ending quietly.
   */
  revoked?: AbortSignal | null;
  congestion?: Congestion | null;
}

const REPLAY_PAGE = 500;

const resyncMessages: Record<ResyncReason, string> = {
  other_epoch: 'That event id belongs to another database (it was wiped or restored); here is the current state.',
  unknown_id: 'That event id is not one this server has issued; here is the current state.',
  other_workspace: 'That event id belongs to another workspace; here is the current state of yours.',
  expired: 'The events after that id are no longer kept; here is the current state.',
  slow_consumer: 'This connection fell too far behind; resubscribe from the last id received.',
};

export function eventStream<T extends EventType, S>(
  opts: StreamOptions<T, S>,
): AsyncGenerator<TrackedEnvelope<StreamMessage<T, S>>, void, unknown> {
  const handoff: Handoff = { sink: null };
  const either = opts.revoked ? new EitherSignal(opts.signal, opts.revoked) : null;
  const stream = streamMessages(either ? { ...opts, signal: either.signal } : opts, handoff, either);
  handoffs.set(stream, handoff);
  return stream;
}

async function* streamMessages<T extends EventType, S>(
  opts: StreamOptions<T, S>,
  handoff: Handoff,
  either: EitherSignal | null,
): AsyncGenerator<TrackedEnvelope<StreamMessage<T, S>>, void, unknown> {
  const { log, signal } = opts;
  const subscriber = new StreamSubscriber(opts.workspaceId, opts.types, opts.matches as (event: Envelope) => boolean, new SubscriberQueue(opts.flow), opts.label);
  const { queue } = subscriber;
  // Attach before reading the outbox: an event committed while the replay query runs is then
  // in the queue (and skipped there if the replay already sent it), never in neither.
  const remove = opts.hub.add(subscriber);
  try {
    let lastSeq: number;
    const position = opts.lastEventId ? parseEventId(opts.lastEventId) : null;
    const problem = position ? await log.resumeProblem(opts.workspaceId, position) : null;
    if (!position || problem) {
      // Read the position before the snapshot: what commits in between is replayed on top of it.
      lastSeq = await log.positionFor(opts.workspaceId);
      if (problem) {
        countBy(flowStats.resyncsByReason, problem);
        yield tracked(log.idOf(lastSeq), { kind: 'resync', reason: problem, message: resyncMessages[problem] });
      }
      yield tracked(log.idOf(lastSeq), { kind: 'snapshot', snapshot: await opts.snapshot() });
    } else {
      lastSeq = position.seq;
    }

    for (;;) {
      const page = await log.readAfter(opts.workspaceId, lastSeq, opts.types, REPLAY_PAGE);
      // A trim that committed after the check above (or the last page) may have taken events
      // after lastSeq before this read: say so, as for an expired id, instead of leaving a gap.
      if (lastSeq < (await log.floor())) {
        lastSeq = await log.positionFor(opts.workspaceId);
        countBy(flowStats.resyncsByReason, 'expired');
        yield tracked(log.idOf(lastSeq), { kind: 'resync', reason: 'expired', message: resyncMessages.expired });
        yield tracked(log.idOf(lastSeq), { kind: 'snapshot', snapshot: await opts.snapshot() });
        continue;
      }
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
      const sink = handoff.sink;
      if (opts.congestion) await untilDrained(opts.congestion, opts.flow.maxBufferedBytes, queue, signal);
      if (aborted) return;
      const item = sink ? queue.takeReady() : await queue.take(signal);
      if (!item) {
        if (!sink) return;
        // Nothing is queued: the fan-out writes to the sink from here on. This happens in the same
        // synchronous run as the empty take, so no event can fall between the two ways.
        const direct = (subscriber.direct = new DirectDelivery(queue, sink, opts.flow, log, lastSeq, signal));
        const ending = await direct.ended;
        if (ending === 'overflow') {
          flowStats.resyncEnded++;
          countBy(flowStats.resyncsByReason, 'slow_consumer');
          yield tracked(log.idOf(direct.lastSeq), { kind: 'resync', reason: 'slow_consumer', message: resyncMessages.slow_consumer });
        }
        return;
      }
      if (item.kind === 'overflow') {
        flowStats.resyncEnded++;
        countBy(flowStats.resyncsByReason, 'slow_consumer');
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
    subscriber.direct?.stop();
    remove();
    queue.close();
    either?.detach();
    // Revoked access ends the stream with its reason, whichever of the loops above noticed it.
    if (opts.revoked?.aborted) throw opts.revoked.reason;
  }
}

/** A signal that aborts when either of two does (without AbortSignal.any, whose source signals keep every dependent alive). */
class EitherSignal {
  private readonly controller = new AbortController();

  constructor(
    private readonly first: AbortSignal | undefined,
    private readonly second: AbortSignal,
  ) {
    if (first?.aborted || second.aborted) this.controller.abort();
    else {
      first?.addEventListener('abort', this, { once: true });
      second.addEventListener('abort', this, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  handleEvent(): void {
    this.detach();
    this.controller.abort();
  }

  /** The stream ended: stop listening (the second signal may live much longer, for a whole connection). */
  detach(): void {
    this.first?.removeEventListener('abort', this);
    this.second.removeEventListener('abort', this);
  }
}

/** A subscription as the hub sees it: its filter, and where an event goes (its queue, or once live, its sink). */
class StreamSubscriber implements Subscriber {
  readonly types: ReadonlySet<EventType>;
  direct: DirectDelivery | null = null;

  constructor(
    readonly workspaceId: string,
    types: readonly EventType[],
    readonly matches: (event: Envelope) => boolean,
    readonly queue: SubscriberQueue,
    readonly label: string | undefined,
  ) {
    this.types = new Set(types);
  }

  deliver(event: Envelope): void {
    if (this.direct) this.direct.push(event);
    else this.queue.push(event);
  }

  queuedBytes(): number {
    return this.queue.queuedBytes();
  }
}

/** How a subscription's direct phase ended: its queue overflowed (resync), or it was stopped. */
type DirectEnding = 'overflow' | 'stopped';

/** While a congested socket drains, how often to look again (no portable "drained" signal covers every transport). */
const DRAIN_POLL_MS = 10;

/**
 * A subscription's live phase written from the hub's fan-out straight into a transport's sink.
 * Events go into the subscriber's queue as on the generic path (bounds, conflation); once per
 * fan-out tick the queue is emptied into the sink, one message at a time: durable events first (a
 * batch of up to `maxBatch` when several arrived in the tick, so a lone event still goes alone),
 * then the volatile values that are due, with a timer for those that are not due yet. While the
 * socket holds more than `maxBufferedBytes` unsent nothing is taken, so the queue fills to its
 * bounds and a reader that never catches up ends in a `slow_consumer` resync, at once, without
 * waiting for its socket.
 */
class DirectDelivery implements TickFlush {
  readonly ended: Promise<DirectEnding>;
  private finish!: (ending: DirectEnding) => void;
  private done = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;

  constructor(
    private readonly queue: SubscriberQueue,
    private readonly sink: LiveSink,
    private readonly flow: FlowControl,
    private readonly log: EventLog,
    /** The last durable seq sent: what a volatile event is tracked by, and where a resync resumes. */
    public lastSeq: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    signal?.addEventListener('abort', this, { once: true });
    // Volatile values the generic path held back (not due yet) need their timer.
    this.flush();
  }

  /** The hub's fan-out hands an event over: queue it and write at the end of the tick. */
  push(event: Envelope): void {
    if (this.done) return;
    this.queue.push(event);
    if (this.queue.hasOverflowed()) return this.end('overflow');
    if (!this.scheduled) {
      this.scheduled = true;
      flushAfterFanout(this);
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.done) return;
    try {
      for (;;) {
        // Checked per message, so the socket holds at most maxBufferedBytes plus one message.
        if (this.sink.congested(this.flow.maxBufferedBytes)) return this.wakeIn(DRAIN_POLL_MS);
        const item = this.queue.takeReady();
        if (!item) break;
        if (item.kind === 'overflow') return this.end('overflow');
        if (item.kind === 'durable') this.sendDurable(item.events);
        else this.sendVolatile(item.events);
      }
    } finally {
      this.sink.flush();
    }
    const due = this.queue.nextVolatileDueInMs();
    if (due !== null) this.wakeIn(due);
  }

  /** Ends the direct phase from the generator's side (it returned or was closed). */
  stop(): void {
    this.end('stopped');
  }

  private sendDurable(events: Envelope[]): void {
    const fresh = seqOf(events[0]!) > this.lastSeq ? events : events.filter((event) => seqOf(event) > this.lastSeq);
    if (fresh.length === 0) return;
    this.lastSeq = seqOf(fresh.at(-1)!);
    flowStats.delivered += fresh.length;
    if (fresh.length === 1) this.sink.event(fresh[0]!.id, fresh[0]!);
    else this.sink.batch(fresh);
  }

  private sendVolatile(events: Envelope[]): void {
    const trackedId = this.log.idOf(this.lastSeq);
    for (const event of events) {
      flowStats.delivered++;
      this.sink.event(trackedId, event);
    }
  }

  /** One timer at most: the earliest of "the socket may have drained" and "a held value is due". */
  private wakeIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.timer && this.timerDueAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = at;
    this.timer = setTimeout(wake, ms, this);
  }

  /** The timer fired. */
  wake(): void {
    this.timer = null;
    this.timerDueAt = 0;
    if (!this.scheduled) this.flush();
  }

  /** The subscription's signal aborted (an EventListener object: no closure per subscription). */
  handleEvent(): void {
    this.end('stopped');
  }

  private end(ending: DirectEnding): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.signal?.removeEventListener('abort', this);
    this.finish(ending);
  }
}

function wake(delivery: DirectDelivery): void {
  delivery.wake();
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

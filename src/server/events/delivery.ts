/**
 * The one delivery path of every subscription: ordering in one place, writing at the edge.
 *
 * Ordering (`Delivery`): attach to the hub first (so an event committed during what follows is
 * queued, never lost), then a resync and a snapshot, or a replay from the outbox, then live. Every
 * durable event goes out at most once and in seq order: the delivery remembers the last seq it
 * wrote and skips what the queue holds at or below it (the overlap between replay and live).
 * Volatile events are tracked by that last durable id. Flow control is the subscriber's queue
 * (subscriber-queue.ts): bounds, conflation, micro-batches; durable events past its bound end the
 * subscription with a `slow_consumer` resync naming the last id written.
 *
 * Writing (`DeliverySink`): once per fan-out tick (hub.ts `flushAfterFanout`) the delivery empties
 * the queue into its sink, one message at a time while the sink has room. Three sinks exist: the
 * async iterator that createCaller and tRPC's stock handlers consume (generator-sink.ts), our
 * WebSocket transport's (ws-transport/subscription-sink.ts) and our SSE transport's
 * (sse-transport/sse-sink.ts). A sink that is full either says when it has room again (the
 * iterator, when its consumer asks for the next value) or is polled (a socket: no portable
 * "drained" signal covers every transport); meanwhile the queue fills to its bounds.
 *
 * One `Delivery` exists per open subscription: a class with no closures (under tsx every closure
 * carries its own `name` property), one timer at most, listeners as `handleEvent`.
 */
import type { Envelope, EventType } from './catalog';
import type { EventLog, ResyncReason } from './event-log';
import { parseEventId } from './event-id';
import { countBy, flowStats, type FlowControl } from './flow-control';
import { flushAfterFanout, type Subscriber, type SubscriberHub, type TickFlush } from './hub';
import { sharedOf } from './shared-event';
import { SubscriberQueue } from './subscriber-queue';

export type StreamMessage<T extends EventType, S> =
  | { kind: 'snapshot'; snapshot: S }
  | { kind: 'resync'; reason: ResyncReason; message: string }
  | { kind: 'event'; event: Envelope<T> }
  /** Durable events that piled up, in order; the message's id is the last one's. */
  | { kind: 'batch'; events: Envelope<T>[] };

/** Whether a sink takes another message now, and if not, how the delivery learns it has room. */
export type SinkRoom =
  /** Write. */
  | 'room'
  /** Full; the sink calls `Delivery.resume()` once it has room. */
  | 'later'
  /** Full; look again in a moment. */
  | 'poll';

/**
 * Where a subscription's messages go. Called synchronously: a sink frames and writes (or buffers),
 * it never waits. Whatever it holds back to write a tick's messages together goes out on `flush`.
 */
export interface DeliverySink {
  /** Whether it takes a message now; `maxBufferedBytes` is what a socket may hold unsent. */
  room(maxBufferedBytes: number): SinkRoom;
  /** One event; `trackedId` is its own id when durable, the last durable id sent when volatile. */
  event(trackedId: string, event: Envelope): void;
  /** Durable events, in order: one message tracked by the last one's id. */
  batch(events: readonly Envelope[]): void;
  /** A snapshot or a resync, tracked by `trackedId`. */
  message(trackedId: string, message: StreamMessage<EventType, unknown>): void;
  /** The messages written so far may leave now. */
  flush(): void;
  /** The subscription is over: `error` is why it failed (revoked access, a failed query), null when it just ended. Called once. */
  close(error: unknown): void;
}

/** What the delivery reads from the outbox (EventLog; the property test runs an in-memory one). */
export type ReplaySource = Pick<EventLog, 'resumeProblem' | 'positionFor' | 'readAfter' | 'floor' | 'idOf'>;

export interface DeliveryOptions<T extends EventType = EventType, S = unknown> {
  log: ReplaySource;
  hub: SubscriberHub;
  flow: FlowControl;
  workspaceId: string;
  types: readonly T[];
  matches: (event: Envelope<T>) => boolean;
  snapshot: () => Promise<S>;
  lastEventId?: string | null;
  /** Aborts when the consumer goes away (unsubscribe, closed socket): the subscription ends quietly. */
  signal?: AbortSignal;
  /** Aborts when the caller's access is revoked: the subscription ends with the signal's reason as its error. */
  revoked?: AbortSignal | null;
  /** What the stream is (its procedure), for /metrics. */
  label?: string;
}

const REPLAY_PAGE = 500;

/** While a congested socket drains, how often to look again. */
const DRAIN_POLL_MS = 10;

export const resyncMessages: Record<ResyncReason, string> = {
  other_epoch: 'That event id belongs to another database (it was wiped or restored); here is the current state.',
  unknown_id: 'That event id is not one this server has issued; here is the current state.',
  other_workspace: 'That event id belongs to another workspace; here is the current state of yours.',
  expired: 'The events after that id are no longer kept; here is the current state.',
  slow_consumer: 'This connection fell too far behind; resubscribe from the last id received.',
};

// Subscriptions of one procedure share one set of types (the procedures pass constant arrays).
const typeSets = new WeakMap<readonly EventType[], ReadonlySet<EventType>>();
function typeSetOf(types: readonly EventType[]): ReadonlySet<EventType> {
  let set = typeSets.get(types);
  if (!set) typeSets.set(types, (set = new Set(types)));
  return set;
}

type Phase = 'idle' | 'preparing' | 'live' | 'done';

export class Delivery implements Subscriber, TickFlush {
  readonly workspaceId: string;
  readonly types: ReadonlySet<EventType>;
  readonly matches: (event: Envelope) => boolean;
  readonly label: string | undefined;
  private readonly queue: SubscriberQueue;
  private sink: DeliverySink | null = null;
  private phase: Phase = 'idle';
  /** The last durable seq written to the sink: what dedupe skips up to, what volatile events and a resync are tracked by. */
  private lastSeq = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private timerDueAt = 0;
  /** While preparing: resolves the wait for a full sink to have room. */
  private roomWaiter: (() => void) | null = null;

  constructor(private readonly opts: DeliveryOptions) {
    this.workspaceId = opts.workspaceId;
    this.types = typeSetOf(opts.types);
    this.matches = opts.matches as (event: Envelope) => boolean;
    this.label = opts.label;
    this.queue = new SubscriberQueue(opts.flow);
  }

  /** Starts delivering to `sink`; a delivery has one sink, for its whole life. */
  attach(sink: DeliverySink): void {
    if (this.sink) throw new Error('This subscription is already being delivered.');
    this.sink = sink;
    const { signal, revoked } = this.opts;
    if (signal?.aborted || revoked?.aborted) return this.end(null);
    signal?.addEventListener('abort', this, { once: true });
    revoked?.addEventListener('abort', this, { once: true });
    // Attach before reading the outbox: an event committed while the replay query runs is then
    // in the queue (and skipped there if the replay already sent it), never in neither.
    this.opts.hub.add(this);
    this.phase = 'preparing';
    this.prepare().then(
      () => this.goLive(),
      (error: unknown) => this.end(null, error),
    );
  }

  /** The consumer is done (an iterator's `return`): end without a message. */
  stop(): void {
    this.end(null);
  }

  /** A full sink has room again. */
  resume(): void {
    if (this.roomWaiter) {
      const wake = this.roomWaiter;
      this.roomWaiter = null;
      wake();
    } else if (this.phase === 'live' && !this.scheduled) this.flush();
  }

  /** Over: every step after an await looks (a getter, so TypeScript does not narrow it away). */
  private get ended(): boolean {
    return this.phase === 'done';
  }

  // Subscriber (the hub's fan-out) ------------------------------------------------------------

  deliver(event: Envelope): void {
    if (this.ended) return;
    this.queue.push(event);
    if (this.phase !== 'live') return; // drained when the replay is over
    if (this.queue.hasOverflowed()) return this.end('slow_consumer');
    if (!this.scheduled) {
      this.scheduled = true;
      flushAfterFanout(this);
    }
  }

  queuedBytes(): number {
    return this.queue.queuedBytes();
  }

  // Snapshot, resync, replay -------------------------------------------------------------------

  private async prepare(): Promise<void> {
    const { log, workspaceId } = this.opts;
    const position = this.opts.lastEventId ? parseEventId(this.opts.lastEventId) : null;
    const problem = position ? await log.resumeProblem(workspaceId, position) : null;
    if (!position || problem) {
      // Read the position before the snapshot: what commits in between is replayed on top of it.
      this.lastSeq = await log.positionFor(workspaceId);
      await this.sendSnapshot(problem);
    } else {
      this.lastSeq = position.seq;
    }
    for (;;) {
      if (this.ended) return;
      const page = await log.readAfter(workspaceId, this.lastSeq, this.opts.types, REPLAY_PAGE);
      // A trim that committed after the check above (or the last page) may have taken events
      // after lastSeq before this read: say so, as for an expired id, instead of leaving a gap.
      if (this.lastSeq < (await log.floor())) {
        this.lastSeq = await log.positionFor(workspaceId);
        await this.sendSnapshot('expired');
        continue;
      }
      if (page.length === 0 || this.ended) return;
      // From the oldest event the hub has queued on, the queue holds the rest (in the very envelopes
      // every other subscriber got, encoded once): the replay stops short of it.
      const liveFrom = this.queue.firstDurableSeq();
      const replayed = sharedOf(page[page.length - 1]!).seq < liveFrom ? page : page.filter((event) => sharedOf(event).seq < liveFrom);
      // The page goes as one message, whatever maxBatch says: a resume catches up in few messages.
      const matching = replayed.filter(this.matches);
      if (matching.length > 0) {
        this.writeDurable(matching);
        this.sink!.flush();
      }
      if (replayed.length > 0) this.lastSeq = sharedOf(replayed[replayed.length - 1]!).seq;
      if (matching.length > 0) await this.untilRoom();
      if (replayed.length < REPLAY_PAGE) return;
    }
  }

  private async sendSnapshot(problem: ResyncReason | null): Promise<void> {
    const trackedId = this.opts.log.idOf(this.lastSeq);
    if (problem) {
      countBy(flowStats.resyncsByReason, problem);
      this.writeMessage(trackedId, { kind: 'resync', reason: problem, message: resyncMessages[problem] });
      await this.untilRoom();
    }
    const snapshot = await this.opts.snapshot();
    if (this.ended) return;
    this.writeMessage(trackedId, { kind: 'snapshot', snapshot });
    await this.untilRoom();
  }

  private writeMessage(trackedId: string, message: StreamMessage<EventType, unknown>): void {
    if (this.ended) return;
    this.sink!.message(trackedId, message);
    this.sink!.flush();
  }

  /** Waits until the sink takes another message (or the subscription ended). */
  private untilRoom(): Promise<void> | void {
    if (this.ended) return;
    const room = this.sink!.room(this.opts.flow.maxBufferedBytes);
    if (room === 'room') return;
    return new Promise<void>((resolve) => {
      this.roomWaiter = resolve;
      if (room === 'poll') this.wakeIn(DRAIN_POLL_MS);
    }).then(() => this.untilRoom());
  }

  private goLive(): void {
    if (this.ended) return;
    this.phase = 'live';
    // What queued up during the replay goes now, in this same synchronous run: no event can fall
    // between the replay and the fan-out.
    this.flush();
  }

  // Live ---------------------------------------------------------------------------------------

  /** Writes what the queue holds while the sink has room (the hub calls it once per fan-out tick). */
  flush(): void {
    this.scheduled = false;
    if (this.phase !== 'live') return;
    const sink = this.sink!;
    const maxBytes = this.opts.flow.maxBufferedBytes;
    try {
      for (;;) {
        // Checked per message, so a socket holds at most maxBufferedBytes plus one message.
        const room = sink.room(maxBytes);
        if (room !== 'room') {
          if (room === 'poll') this.wakeIn(DRAIN_POLL_MS);
          return;
        }
        const item = this.queue.takeReady();
        if (!item) break;
        if (item.kind === 'overflow') return this.end('slow_consumer');
        if (item.kind === 'durable') this.writeDurable(item.events);
        else this.writeVolatile(item.events);
      }
    } finally {
      if (!this.ended) sink.flush();
    }
    const due = this.queue.nextVolatileDueInMs();
    if (due !== null) this.wakeIn(due);
  }

  private writeDurable(events: Envelope[]): void {
    // Queued events are in seq order: when the first is new they all are (the common case once
    // the replay is over), and the array goes out as it is.
    const lastSeq = this.lastSeq;
    const fresh = sharedOf(events[0]!).seq > lastSeq ? events : events.filter((event) => sharedOf(event).seq > lastSeq);
    if (fresh.length === 0) return;
    const last = fresh[fresh.length - 1]!;
    this.lastSeq = sharedOf(last).seq;
    flowStats.delivered += fresh.length;
    if (fresh.length === 1) this.sink!.event(last.id, last);
    else this.sink!.batch(fresh);
  }

  private writeVolatile(events: Envelope[]): void {
    const trackedId = this.opts.log.idOf(this.lastSeq);
    for (const event of events) {
      flowStats.delivered++;
      this.sink!.event(trackedId, event);
    }
  }

  /** One timer at most: the earliest of "the sink may have room" and "a held value is due". */
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
    this.resume();
  }

  /** The consumer's signal or the revocation signal aborted (an EventListener object: no closure per subscription). */
  handleEvent(): void {
    this.end(null);
  }

  // The end ------------------------------------------------------------------------------------

  /** Ends once: leaves the hub, says why when it was a slow consumer, and closes the sink. */
  private end(resync: 'slow_consumer' | null, error: unknown = null): void {
    if (this.ended) return;
    this.phase = 'done';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const { signal, revoked, hub } = this.opts;
    signal?.removeEventListener('abort', this);
    revoked?.removeEventListener('abort', this);
    hub.remove(this);
    this.queue.close();
    const sink = this.sink;
    if (!sink) return;
    if (resync) {
      flowStats.resyncEnded++;
      countBy(flowStats.resyncsByReason, resync);
      sink.message(this.opts.log.idOf(this.lastSeq), { kind: 'resync', reason: resync, message: resyncMessages[resync] });
    }
    // Revoked access ends the subscription with its reason, whichever way it noticed.
    sink.close(revoked?.aborted ? revoked.reason : error);
    // A replay waiting for room unwinds (it sees the phase and stops).
    this.resume();
  }
}

function wake(delivery: Delivery): void {
  delivery.wake();
}

/**
 * The delivery sink that is an async iterator: what createCaller hands a test or a script, and
 * what tRPC's stock WebSocket and SSE handlers iterate. Each message becomes `tracked(id, message)`,
 * as the async generator that used to be every subscription's body yielded it.
 *
 * It has room only while its consumer waits in `next()`: otherwise events stay in the
 * subscriber's queue (where they conflate, batch and count against the bounds), exactly as they
 * did while a generator was suspended at a `yield`. A transport's socket congestion, when the
 * context knows it, also counts as no room (then the delivery polls).
 */
import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { Envelope, EventType } from './catalog';
import type { Delivery, DeliverySink, SinkRoom, StreamMessage } from './delivery';

/** What the transport says about its socket, so a slow reader holds the queue, not the socket buffer. */
export interface Congestion {
  bufferedBytes(): number;
}

type Message = TrackedEnvelope<StreamMessage<EventType, unknown>>;

const DONE: IteratorReturnResult<void> = Object.freeze({ done: true, value: undefined });

export class GeneratorSink implements DeliverySink, AsyncIterator<Message, void, unknown> {
  /** Messages written while nobody waited (the rest of a tick's volatile values, a final resync). */
  private readonly buffered: Message[] = [];
  private waiting: { resolve: (result: IteratorResult<Message, void>) => void; reject: (error: unknown) => void } | null = null;
  private closed = false;
  private failure: unknown = null;

  constructor(
    private readonly delivery: Delivery,
    private readonly congestion: Congestion | null,
  ) {}

  // DeliverySink ---------------------------------------------------------------------------------

  room(maxBufferedBytes: number): SinkRoom {
    if (this.congestion && this.congestion.bufferedBytes() > maxBufferedBytes) return 'poll';
    return this.waiting && this.buffered.length === 0 ? 'room' : 'later';
  }

  event(trackedId: string, event: Envelope): void {
    this.push(tracked(trackedId, { kind: 'event', event }));
  }

  batch(events: readonly Envelope[]): void {
    this.push(tracked(events[events.length - 1]!.id, { kind: 'batch', events: events as Envelope[] }));
  }

  message(trackedId: string, message: StreamMessage<EventType, unknown>): void {
    this.push(tracked(trackedId, message));
  }

  flush(): void {}

  close(error: unknown): void {
    this.closed = true;
    this.failure = error;
    if (this.waiting && this.buffered.length === 0) this.settleEnd(this.takeWaiting());
  }

  // AsyncIterator ----------------------------------------------------------------------------------

  next(): Promise<IteratorResult<Message, void>> {
    const message = this.buffered.shift();
    if (message) return Promise.resolve({ done: false, value: message });
    if (this.closed) return this.failure === null ? Promise.resolve(DONE) : Promise.reject(this.takeFailure());
    if (this.waiting) return Promise.reject(new Error('next() was called again before the last call settled.'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      // The consumer asks: the delivery writes what is ready (possibly right now, into `waiting`).
      this.delivery.resume();
    });
  }

  /** The consumer stops iterating (a `for await` that breaks, a handler that unsubscribes). */
  return(): Promise<IteratorResult<Message, void>> {
    this.buffered.length = 0;
    this.delivery.stop();
    this.closed = true;
    this.failure = null;
    if (this.waiting) this.takeWaiting().resolve(DONE);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private push(message: Message): void {
    if (this.waiting && this.buffered.length === 0) this.takeWaiting().resolve({ done: false, value: message });
    else this.buffered.push(message);
  }

  private takeWaiting() {
    const waiting = this.waiting!;
    this.waiting = null;
    return waiting;
  }

  private settleEnd(waiting: { resolve: (result: IteratorResult<Message, void>) => void; reject: (error: unknown) => void }): void {
    if (this.failure === null) waiting.resolve(DONE);
    else waiting.reject(this.takeFailure());
  }

  /** A failure is thrown once, as a generator throws once and is done after. */
  private takeFailure(): unknown {
    const failure = this.failure;
    this.failure = null;
    return failure;
  }
}

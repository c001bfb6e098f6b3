/**
 * What every subscription procedure returns: an `EventStream`, which is at once
 *
 * - an `AsyncIterable` of `tracked(id, message)`, for createCaller, tRPC's stock handlers and the
 *   typed `@trpc/client` (the procedures' output types are inferred from it, as they were from the
 *   async generator it replaces), and
 * - the handle our own transports deliver it through: `deliverTo(sink)` writes its messages
 *   straight to the transport's sink, with no iterator, promise or message object per event.
 *
 * Either way the same `Delivery` (delivery.ts) does the ordering and flow control; only the sink
 * differs. Nothing starts until the stream is iterated or delivered (as a generator's body did not
 * run before its first `next()`), and a stream is consumed once.
 */
import type { TrackedEnvelope } from '@trpc/server';
import type { Envelope, EventType } from './catalog';
import { Delivery, type DeliveryOptions, type DeliverySink, type StreamMessage } from './delivery';
import type { EventLog } from './event-log';
import { GeneratorSink, type Congestion } from './generator-sink';

export type { StreamMessage } from './delivery';
export type { Congestion } from './generator-sink';

export interface StreamOptions<T extends EventType, S> extends Omit<DeliveryOptions<T, S>, 'log' | 'matches'> {
  log: EventLog;
  matches: (event: Envelope<T>) => boolean;
  /** The socket behind a stock handler, when the context knows it: a congested one holds the queue. */
  congestion?: Congestion | null;
}

export class EventStream<T extends EventType, S> implements AsyncIterable<TrackedEnvelope<StreamMessage<T, S>>, void, unknown> {
  private delivery: Delivery | null;
  private iterator: GeneratorSink | null = null;

  constructor(
    opts: DeliveryOptions<T, S>,
    private readonly congestion: Congestion | null,
  ) {
    this.delivery = new Delivery(opts as unknown as DeliveryOptions);
  }

  /** Delivers this stream's messages to a transport's sink (instead of iterating it). */
  deliverTo(sink: DeliverySink): void {
    this.take().attach(sink);
  }

  [Symbol.asyncIterator](): AsyncIterator<TrackedEnvelope<StreamMessage<T, S>>, void, unknown> {
    if (!this.iterator) {
      const delivery = this.take();
      this.iterator = new GeneratorSink(delivery, this.congestion);
      delivery.attach(this.iterator);
    }
    return this.iterator as unknown as AsyncIterator<TrackedEnvelope<StreamMessage<T, S>>, void, unknown>;
  }

  private take(): Delivery {
    const delivery = this.delivery;
    if (!delivery) throw new Error('This event stream is already being consumed.');
    this.delivery = null;
    return delivery;
  }
}

/** Whether a procedure's result is one of our event streams (which a transport can deliver directly). */
export function isEventStream(value: unknown): value is EventStream<EventType, unknown> {
  return value instanceof EventStream;
}

export function eventStream<T extends EventType, S>(opts: StreamOptions<T, S>): EventStream<T, S> {
  const { congestion = null, ...delivery } = opts;
  return new EventStream<T, S>(delivery, congestion);
}

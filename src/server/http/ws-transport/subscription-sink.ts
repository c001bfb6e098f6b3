/**
 * One subscription's delivery sink on a WebSocket connection (see events/delivery.ts): live events
 * as whole shared frames (shared-frames.ts) through the connection's corked sender, a snapshot or
 * resync as a data frame of its own, and the end as tRPC's handler ends a subscription: `stopped`,
 * or the error's frame. A subscription the client stopped (or whose socket closed) ends silently.
 * A class, not an object of closures: one exists per open subscription, and under tsx every
 * closure carries its own `name` property.
 */
import type { Envelope, EventType } from '../../events/catalog';
import type { DeliverySink, SinkRoom, StreamMessage } from '../../events/delivery';
import type { CorkedSender } from './corked-sender';
import { trackedDataFrame, type RequestId } from './frames';
import { batchFrame, eventFrame } from './shared-frames';

/** What the sink tells its connection when the subscription is over. */
export interface SubscriptionEnds {
  subscriptionEnded(sink: SubscriptionSink, error: unknown): void;
}

export class SubscriptionSink implements DeliverySink {
  constructor(
    readonly id: RequestId,
    readonly prefix: Buffer,
    private readonly sender: CorkedSender,
    /** Aborted when the client stopped the subscription or the socket closed. */
    readonly abort: AbortController,
    private readonly connection: SubscriptionEnds,
    /** The procedure and its input, for the error frame and onError if it fails. */
    readonly path: string,
    readonly input: unknown,
  ) {}

  room(maxBufferedBytes: number): SinkRoom {
    return this.sender.congested(maxBufferedBytes) ? 'poll' : 'room';
  }

  event(trackedId: string, event: Envelope): void {
    this.sender.writeFrame(eventFrame(this.prefix, trackedId, event));
  }

  batch(events: readonly Envelope[]): void {
    this.sender.writeFrame(batchFrame(this.prefix, events));
  }

  message(trackedId: string, message: StreamMessage<EventType, unknown>): void {
    this.sender.send(trackedDataFrame(this.prefix, trackedId, message));
  }

  flush(): void {
    this.sender.flush();
  }

  close(error: unknown): void {
    this.sender.flush();
    if (!this.abort.signal.aborted) this.connection.subscriptionEnded(this, error);
  }
}

/**
 * One SSE subscription's delivery sink (see events/delivery.ts): each message written onto the
 * response as one SSE message, a live event's or a batch's bytes shared with every other
 * subscriber that sends the same (sse-frames.ts). Node's response corks its socket for the rest of
 * the tick on a write, so a tick's messages leave together. A response holding more than the
 * flow-control bound unsent has no room: the subscriber's queue holds the rest (and overflows into
 * a `slow_consumer` resync) instead of the socket buffer growing.
 */
import type { ServerResponse } from 'node:http';
import type { Envelope, EventType } from '../../events/catalog';
import type { DeliverySink, SinkRoom, StreamMessage } from '../../events/delivery';
import { encodeStreamMessage } from '../../events/stream-message-json';
import type { IdlePing } from './idle-ping';
import { batchMessage, dataMessage, eventMessage } from './sse-frames';

export class SSESink implements DeliverySink {
  /** Settles with the error the subscription ended with (null: it just ended). */
  readonly ended: Promise<unknown>;
  private settle!: (error: unknown) => void;

  constructor(
    private readonly res: ServerResponse,
    private readonly ping: IdlePing | null,
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  room(maxBufferedBytes: number): SinkRoom {
    return this.res.writableLength > maxBufferedBytes ? 'poll' : 'room';
  }

  event(trackedId: string, event: Envelope): void {
    this.write(eventMessage(trackedId, event));
  }

  batch(events: readonly Envelope[]): void {
    this.write(batchMessage(events));
  }

  message(trackedId: string, message: StreamMessage<EventType, unknown>): void {
    this.write(dataMessage(encodeStreamMessage(message), trackedId));
  }

  flush(): void {}

  close(error: unknown): void {
    this.settle(error);
  }

  private write(message: Buffer | string): void {
    if (this.res.writableEnded) return;
    this.ping?.wrote();
    this.res.write(message);
  }
}

/**
 * One subscription's `LiveSink` on a connection: its live events framed with the subscription's
 * prefix (shared event JSON, see frames.ts) and written through the connection's corked sender.
 * A class, not an object of closures: one exists per open subscription, and under tsx every
 * closure carries its own `name` property.
 */
import type { Envelope } from '../../events/catalog';
import type { LiveSink } from '../../events/stream';
import type { CorkedSender } from './corked-sender';
import { batchFrame, eventFrame } from './frames';

export class SubscriptionSink implements LiveSink {
  constructor(
    private readonly prefix: Buffer,
    private readonly sender: CorkedSender,
  ) {}

  congested(maxBytes: number): boolean {
    return this.sender.congested(maxBytes);
  }

  event(trackedId: string, event: Envelope): void {
    this.sender.send(eventFrame(this.prefix, trackedId, event));
  }

  batch(events: readonly Envelope[]): void {
    this.sender.send(batchFrame(this.prefix, events));
  }

  flush(): void {
    this.sender.flush();
  }
}

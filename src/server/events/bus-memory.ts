/** The in-process bus: one process owns the database (PGlite, or Postgres without workers elsewhere). */
import { EventEmitter } from 'node:events';
import type { Envelope } from './catalog';
import { log } from '../log';
import { deliverToListeners, type BusListener, type EventBus } from './bus';

export class MemoryBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per subscriber hub, plus tests; the default cap of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  publishCommitted(events: readonly Envelope[]): void {
    if (events.length > 0) this.deliver(events);
  }

  publishVolatile(event: Envelope): void {
    this.deliver([event]);
  }

  private deliver(events: readonly Envelope[]): void {
    deliverToListeners(this.emitter.listeners('events') as BusListener[], events, (error) => log.error({ err: error }, 'a bus listener failed'));
  }

  listen(listener: BusListener): () => void {
    this.emitter.on('events', listener);
    return () => this.emitter.off('events', listener);
  }

  listenerCount(): number {
    return this.emitter.listenerCount('events');
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

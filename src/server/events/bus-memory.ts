/** The in-process bus: one process owns the database (PGlite, or Postgres without workers elsewhere). */
import { EventEmitter } from 'node:events';
import type { Envelope } from './catalog';
import type { BusListener, EventBus } from './bus';

export class MemoryBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per subscriber hub, plus tests; the default cap of 10 would only warn.
    this.emitter.setMaxListeners(0);
  }

  publishCommitted(events: readonly Envelope[]): void {
    if (events.length > 0) this.emitter.emit('events', events);
  }

  publishVolatile(event: Envelope): void {
    this.emitter.emit('events', [event]);
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

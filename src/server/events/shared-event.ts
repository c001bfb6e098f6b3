/**
 * What every subscriber of one event shares: its outbox seq (parsed from the id once, not once per
 * subscriber), its JSON (serialized once), and a slot per transport for the bytes that transport
 * builds from it (a WebSocket frame, an SSE message), so a fan-out to N subscribers encodes an
 * event once, not N times.
 *
 * The record rides on the envelope itself under a private symbol, defined non-enumerable: JSON,
 * object spread and test equality never see it, and it lives exactly as long as the envelope (the
 * one object the bus hands to every subscriber's queue). A property load per subscriber instead of
 * a WeakMap lookup or an id parse.
 */
import type { Envelope } from './catalog';
import { seqOf } from './event-log';
import { flowStats } from './flow-control';

const SHARED = Symbol('linernotes.sharedEvent');

export class SharedEvent {
  /** The outbox position of a durable event; NaN for a volatile one (its id names no position). */
  readonly seq: number;
  private text: string | null = null;
  /** Whatever the WebSocket transport built from this event (see ws-transport/shared-frames.ts). */
  ws: unknown = null;
  /** Whatever the SSE transport built from this event (see sse-transport/sse-frames.ts). */
  sse: unknown = null;

  constructor(readonly event: Envelope) {
    this.seq = seqOf(event);
  }

  /** The event's JSON, computed on first use. */
  get json(): string {
    if (this.text === null) {
      this.text = JSON.stringify(this.event);
      flowStats.serialized++;
    }
    return this.text;
  }
}

/** The event's shared record, made on first use. */
export function sharedOf(event: Envelope): SharedEvent {
  const found = (event as { [SHARED]?: SharedEvent })[SHARED];
  if (found !== undefined) return found;
  const shared = new SharedEvent(event);
  // A frozen envelope (none of ours is) still works: it just does not share its record.
  if (Object.isExtensible(event)) Object.defineProperty(event, SHARED, { value: shared });
  return shared;
}

/** The event's JSON, shared by every subscriber and transport. */
export function encodedEvent(event: Envelope): string {
  return sharedOf(event).json;
}

/** A durable event's outbox seq (NaN for a volatile event). */
export function seqOfEvent(event: Envelope): number {
  return sharedOf(event).seq;
}

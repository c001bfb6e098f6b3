/**
 * Stream messages as JSON for the transports of our own (WebSocket and SSE): an event's JSON is
 * the shared one from the hub (serialized once for every subscriber), and a batch joins those.
 */
import type { Envelope } from './catalog';
import { encodedEvent } from './shared-event';

/** A stream message as JSON; a batch joins its events' shared JSON instead of re-serializing them. */
export function encodeStreamMessage(message: unknown): string {
  if (isBatch(message)) return `{"kind":"batch","events":[${message.events.map(encodedEvent).join(',')}]}`;
  return JSON.stringify(message) ?? 'null';
}

/** The event of a `{ kind: 'event', event }` message, or null for any other shape. */
export function singleEventOf(message: unknown): Envelope | null {
  if (typeof message !== 'object' || message === null) return null;
  const { kind, event } = message as { kind?: unknown; event?: unknown };
  if (kind !== 'event' || typeof event !== 'object' || event === null) return null;
  // Only the exact shape { kind, event }: anything more goes through JSON.stringify unchanged.
  let keys = 0;
  for (const _ in message) keys++;
  return keys === 2 ? (event as Envelope) : null;
}

export function isBatch(message: unknown): message is { kind: 'batch'; events: Envelope[] } {
  if (typeof message !== 'object' || message === null) return false;
  const { kind, events } = message as { kind?: unknown; events?: unknown };
  return kind === 'batch' && Array.isArray(events) && Object.keys(message).length === 2;
}

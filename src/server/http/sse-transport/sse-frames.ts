/**
 * tRPC v11's SSE wire format (what `sseStreamProducer` writes and `httpSubscriptionLink` reads),
 * written by hand so a subscription's message can reuse text computed once per event. Each
 * message is its fields, one per line, then two more newlines, byte for byte as tRPC writes it:
 *
 *   event: connected\ndata: <client options JSON>\n\n\n      first, always
 *   data: <message JSON>\nid: <tracked id>\n\n\n              a tracked value
 *   data: <value JSON>\n\n\n                                  an untracked value
 *   event: ping\ndata: \n\n\n                                 while the stream is idle
 *   event: return\ndata: \n\n\n                               the procedure ended
 *   event: serialized-error\ndata: <error shape JSON>\n\n\n   the procedure (or its input) failed
 *
 * JSON never holds a raw newline, so a JSON value always fits on its one `data:` line.
 */
import type { Envelope } from '../../events/catalog';
import { encodedEvent, sharedOf, type SharedEvent } from '../../events/shared-event';
import { encodeStreamMessage, isBatch, singleEventOf } from '../../events/stream-message-json';

/** The response headers of tRPC's SSE responses. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
  vary: 'trpc-accept, accept',
} as const;

export const PING_MESSAGE = Buffer.from('event: ping\ndata: \n\n\n');
export const RETURN_MESSAGE = Buffer.from('event: return\ndata: \n\n\n');

export function connectedMessage(clientOptions: unknown): string {
  return `event: connected\ndata: ${JSON.stringify(clientOptions ?? {})}\n\n\n`;
}

export function serializedErrorMessage(shapeJson: string): string {
  return `event: serialized-error\ndata: ${shapeJson}\n\n\n`;
}

/** `messageJson` is the value already serialized (a transformer, if any, applied before). */
export function dataMessage(messageJson: string, trackedId?: string): string {
  return trackedId === undefined ? `data: ${messageJson}\n\n\n` : `data: ${messageJson}\nid: ${trackedId}\n\n\n`;
}

/** What this transport keeps on an event's shared record: its one-event message and the last batch starting with it. */
interface EventMessages {
  single: { trackedId: string; message: Buffer } | null;
  batch: { events: readonly Envelope[]; message: Buffer } | null;
}

function messagesOf(shared: SharedEvent): EventMessages {
  return (shared.sse as EventMessages | null) ?? (shared.sse = { single: null, batch: null } satisfies EventMessages);
}

/**
 * The SSE message of `{ kind: 'event', event }` tracked by `trackedId`: one buffer shared by every
 * subscriber whose tracked id is the same (always, for a durable event).
 */
export function eventMessage(trackedId: string, event: Envelope): Buffer {
  const shared = sharedOf(event);
  const messages = messagesOf(shared);
  const cached = messages.single;
  if (cached && cached.trackedId === trackedId) return cached.message;
  const message = Buffer.from(dataMessage(`{"kind":"event","event":${shared.json}}`, trackedId));
  messages.single = { trackedId, message };
  return message;
}

/**
 * The SSE message of `{ kind: 'batch', events }`, tracked by the last event's id. Subscribers that
 * fell behind together take the same run of events from their queues, so under load most of them
 * write one batch's bytes.
 */
export function batchMessage(events: readonly Envelope[]): Buffer {
  const messages = messagesOf(sharedOf(events[0]!));
  const cached = messages.batch;
  if (cached && sameEvents(cached.events, events)) return cached.message;
  const json = `{"kind":"batch","events":[${events.map(encodedEvent).join(',')}]}`;
  const message = Buffer.from(dataMessage(json, events[events.length - 1]!.id));
  messages.batch = { events: events.slice(), message };
  return message;
}

/**
 * A tracked stream message as SSE bytes, for a router without a data transformer: a lone event's
 * or a batch's shared buffer, anything else (a snapshot, a resync, another procedure's value) its own.
 */
export function trackedStreamMessage(trackedId: string, message: unknown): Buffer | string {
  const event = singleEventOf(message);
  if (event) return eventMessage(trackedId, event);
  if (isBatch(message) && message.events.length > 0 && message.events.at(-1)!.id === trackedId) return batchMessage(message.events);
  return dataMessage(encodeStreamMessage(message), trackedId);
}

/** The same envelope objects in the same order (a filtered subscriber's batch may differ inside). */
function sameEvents(a: readonly Envelope[], b: readonly Envelope[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

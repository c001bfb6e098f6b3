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
import { encodedEvent } from '../../events/hub';
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

// The whole message of a one-event value, per event: every subscriber whose tracked id is the same
// (always, for a durable event) writes these very bytes.
const sharedMessages = new WeakMap<Envelope, { trackedId: string; message: Buffer }>();

// The last batch message that started with this event. Subscribers that fell behind together take
// the same run of events from their queues, so under load most of them send one batch's bytes.
const sharedBatches = new WeakMap<Envelope, { trackedId: string; events: readonly Envelope[]; message: Buffer }>();

/**
 * A tracked stream message as SSE bytes, for a router without a data transformer: a lone event is
 * one buffer shared by all its subscribers, and so is a batch of the very same events.
 */
export function trackedStreamMessage(trackedId: string, message: unknown): Buffer | string {
  const event = singleEventOf(message);
  if (event) {
    const cached = sharedMessages.get(event);
    if (cached && cached.trackedId === trackedId) return cached.message;
    const bytes = Buffer.from(dataMessage(`{"kind":"event","event":${encodedEvent(event)}}`, trackedId));
    sharedMessages.set(event, { trackedId, message: bytes });
    return bytes;
  }
  if (isBatch(message) && message.events.length > 0) {
    const first = message.events[0]!;
    const cached = sharedBatches.get(first);
    if (cached && cached.trackedId === trackedId && sameEvents(cached.events, message.events)) return cached.message;
    const bytes = Buffer.from(dataMessage(encodeStreamMessage(message), trackedId));
    sharedBatches.set(first, { trackedId, events: message.events, message: bytes });
    return bytes;
  }
  return dataMessage(encodeStreamMessage(message), trackedId);
}

/** The same envelope objects in the same order (a filtered subscriber's batch may differ inside). */
function sameEvents(a: readonly Envelope[], b: readonly Envelope[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

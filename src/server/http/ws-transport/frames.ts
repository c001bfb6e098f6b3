/**
 * tRPC v11's WebSocket wire format, written by hand so a subscription's data frame can reuse
 * text computed once per event. The bytes are the ones `applyWSSHandler` would send
 * (`JSON.stringify` of the same object, same key order), so the stock `wsLink` reads them.
 *
 *   {"id":<op id>[,"jsonrpc":"2.0"],"result":{"type":"started"|"stopped"}}
 *   {"id":<op id>,"result":{"type":"data","data":{"id":<tracked id>,"data":<message>},"id":<tracked id>}}
 *   {"id":<op id>,"result":{"type":"data","data":<query or mutation result>}}
 *   {"id":<op id>,"error":<error shape>}
 *   {"id":null,"method":"reconnect"}
 */
import type { Envelope } from '../../events/catalog';
import { encodedEvent } from '../../events/hub';
import { encodeStreamMessage, isBatch, singleEventOf } from '../../events/stream-message-json';

export type RequestId = string | number | null;

/** What identifies one operation's frames: its id and whether the client spoke JSON-RPC 2.0. */
export interface FrameTarget {
  id: RequestId;
  jsonrpc?: '2.0';
}

export const RECONNECT_NOTIFICATION = JSON.stringify({ id: null, method: 'reconnect' });

/** `{"id":<id>[,"jsonrpc":"2.0"]` - the part of every frame that differs per operation. */
export function framePrefix(target: FrameTarget): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(target.id)}${target.jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(target.jsonrpc)}`}`);
}

export function resultFrame(prefix: Buffer, result: unknown): Buffer {
  return Buffer.concat([prefix, Buffer.from(`,"result":${JSON.stringify(result)}}`)]);
}

export function errorFrame(prefix: Buffer, shape: unknown): Buffer {
  return Buffer.concat([prefix, Buffer.from(`,"error":${JSON.stringify(shape)}}`)]);
}

const STARTED_TAIL = Buffer.from(`,"result":{"type":"started"}}`);
const STOPPED_TAIL = Buffer.from(`,"result":{"type":"stopped"}}`);
export const startedFrame = (prefix: Buffer) => Buffer.concat([prefix, STARTED_TAIL]);
export const stoppedFrame = (prefix: Buffer) => Buffer.concat([prefix, STOPPED_TAIL]);

// The tail of a one-event data frame, per event: every subscriber whose tracked id is the same
// (always, for a durable event) sends these bytes after its own prefix.
const sharedTails = new WeakMap<Envelope, { trackedId: string; tail: Buffer }>();

/** A tracked value's data frame; events inside it are spliced in from their shared JSON. */
export function trackedDataFrame(prefix: Buffer, trackedId: string, message: unknown): Buffer {
  const event = singleEventOf(message);
  if (event) return eventFrame(prefix, trackedId, event);
  return Buffer.concat([prefix, Buffer.from(trackedTail(trackedId, encodeStreamMessage(message)))]);
}

/** The data frame of `{ kind: 'event', event }` tracked by `trackedId`, without building that object. */
export function eventFrame(prefix: Buffer, trackedId: string, event: Envelope): Buffer {
  const cached = sharedTails.get(event);
  if (cached && cached.trackedId === trackedId) return Buffer.concat([prefix, cached.tail], prefix.length + cached.tail.length);
  const tail = Buffer.from(trackedTail(trackedId, `{"kind":"event","event":${encodedEvent(event)}}`));
  sharedTails.set(event, { trackedId, tail });
  return Buffer.concat([prefix, tail], prefix.length + tail.length);
}

/** The data frame of `{ kind: 'batch', events }`, tracked by its last event's id. */
export function batchFrame(prefix: Buffer, events: readonly Envelope[]): Buffer {
  const json = `{"kind":"batch","events":[${events.map(encodedEvent).join(',')}]}`;
  return Buffer.concat([prefix, Buffer.from(trackedTail(events.at(-1)!.id, json))]);
}

/** An untracked subscription value's data frame. */
export function dataFrame(prefix: Buffer, value: unknown): Buffer {
  return Buffer.concat([prefix, Buffer.from(`,"result":{"type":"data","data":${encodeStreamMessage(value)}}}`)]);
}

function trackedTail(trackedId: string, messageJson: string): string {
  const id = JSON.stringify(trackedId);
  // Key order as tRPC's handler builds it: `id` is added to the result after `data`.
  return `,"result":{"type":"data","data":{"id":${id},"data":${messageJson}},"id":${id}}}`;
}

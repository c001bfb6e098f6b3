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
import { encodedEvent } from '../../events/shared-event';
import { encodeStreamMessage, singleEventOf } from '../../events/stream-message-json';

export type RequestId = string | number | null;

/** What identifies one operation's frames: its id and whether the client spoke JSON-RPC 2.0. */
export interface FrameTarget {
  id: RequestId;
  jsonrpc?: '2.0';
}

export const RECONNECT_NOTIFICATION = JSON.stringify({ id: null, method: 'reconnect' });

// Prefixes by text, so that subscriptions with the same operation id (every wsLink client numbers
// its operations from 1) hold the same Buffer and share whole frames (see shared-frames.ts).
// Bounded: a client picks its ids, and must not grow this table.
const prefixes = new Map<string, Buffer>();
const MAX_SHARED_PREFIXES = 1024;

/** `{"id":<id>[,"jsonrpc":"2.0"]` - the part of every frame that differs per operation. */
export function framePrefix(target: FrameTarget): Buffer {
  const text = `{"id":${JSON.stringify(target.id)}${target.jsonrpc === undefined ? '' : `,"jsonrpc":${JSON.stringify(target.jsonrpc)}`}`;
  let prefix = prefixes.get(text);
  if (!prefix) {
    prefix = Buffer.from(text);
    if (prefixes.size < MAX_SHARED_PREFIXES) prefixes.set(text, prefix);
  }
  return prefix;
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

/** A tracked value's data frame; events inside it are spliced in from their shared JSON. */
export function trackedDataFrame(prefix: Buffer, trackedId: string, message: unknown): Buffer {
  const event = singleEventOf(message);
  const json = event ? `{"kind":"event","event":${encodedEvent(event)}}` : encodeStreamMessage(message);
  return Buffer.concat([prefix, Buffer.from(trackedTail(trackedId, json))]);
}

/** An untracked subscription value's data frame. */
export function dataFrame(prefix: Buffer, value: unknown): Buffer {
  return Buffer.concat([prefix, Buffer.from(`,"result":{"type":"data","data":${encodeStreamMessage(value)}}}`)]);
}

export function trackedTail(trackedId: string, messageJson: string): string {
  const id = JSON.stringify(trackedId);
  // Key order as tRPC's handler builds it: `id` is added to the result after `data`.
  return `,"result":{"type":"data","data":{"id":${id},"data":${messageJson}},"id":${id}}}`;
}

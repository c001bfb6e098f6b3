/**
 * Whole WebSocket frames of live events, built once and written as they are by every subscriber
 * that sends the same bytes. A subscription's data frame is its prefix (`{"id":<op id>`, the one
 * part that differs per subscription, interned in frames.ts), then a tail that is the same for
 * every subscriber of a durable event (its tracked id is the event's own). So a frame is cached per
 * event (or per batch of the same events) and per prefix: N subscribers whose clients numbered the
 * operation alike write one shared Buffer, header included, with no copy, concatenation or
 * re-encoding each; another prefix costs one frame for all of its subscribers.
 *
 * Server-to-client frames are not masked, so a frame's bytes do not depend on the socket. The
 * header is RFC 6455's: FIN + text opcode, then the payload length in 7, 7+16 or 7+64 bits.
 */
import type { Envelope } from '../../events/catalog';
import { sharedOf, type SharedEvent } from '../../events/shared-event';
import { trackedTail } from './frames';

/** Frames kept per event for this many distinct prefixes; past them a subscriber builds its own. */
const PREFIXES_PER_EVENT = 4;

/** The frames of one message (a lone event tracked by one id, or a batch of the same events), by prefix. */
class MessageFrames {
  readonly prefixes: Buffer[] = [];
  readonly frames: Buffer[] = [];

  constructor(
    /** The message's tracked id and payload after the prefix. */
    readonly trackedId: string,
    readonly tail: Buffer,
    /** A batch's events (null for a lone event), to tell a batch of other events starting alike. */
    readonly events: readonly Envelope[] | null,
  ) {}

  frameFor(prefix: Buffer): Buffer {
    const { prefixes } = this;
    for (let i = 0; i < prefixes.length; i++) if (prefixes[i] === prefix) return this.frames[i]!;
    const frame = textFrame(prefix, this.tail);
    if (prefixes.length < PREFIXES_PER_EVENT) {
      prefixes.push(prefix);
      this.frames.push(frame);
    }
    return frame;
  }
}

/** What this transport keeps on an event's shared record: its lone-event frames and the last batch starting with it. */
interface EventFrames {
  single: MessageFrames | null;
  batch: MessageFrames | null;
}

function framesOf(shared: SharedEvent): EventFrames {
  return (shared.ws as EventFrames | null) ?? (shared.ws = { single: null, batch: null } satisfies EventFrames);
}

/** The whole frame of `{ kind: 'event', event }` tracked by `trackedId`, for a subscription's `prefix`. */
export function eventFrame(prefix: Buffer, trackedId: string, event: Envelope): Buffer {
  const shared = sharedOf(event);
  const frames = framesOf(shared);
  let single = frames.single;
  // A durable event is always tracked by its own id; a volatile one by each subscriber's last
  // durable id, mostly the same one: keep the latest.
  if (single === null || single.trackedId !== trackedId) {
    single = frames.single = new MessageFrames(trackedId, Buffer.from(trackedTail(trackedId, `{"kind":"event","event":${shared.json}}`)), null);
  }
  return single.frameFor(prefix);
}

/** The whole frame of `{ kind: 'batch', events }` (tracked by the last event's id), for `prefix`. */
export function batchFrame(prefix: Buffer, events: readonly Envelope[]): Buffer {
  // Subscribers that fell behind together take the same run of events from their queues: the
  // batch's frames live on its first event, and are reused while the batch is the very same.
  const frames = framesOf(sharedOf(events[0]!));
  let batch = frames.batch;
  if (batch === null || !sameEvents(batch.events!, events)) {
    const json = `{"kind":"batch","events":[${events.map(jsonOf).join(',')}]}`;
    const trackedId = events[events.length - 1]!.id;
    batch = frames.batch = new MessageFrames(trackedId, Buffer.from(trackedTail(trackedId, json)), events.slice());
  }
  return batch.frameFor(prefix);
}

function jsonOf(event: Envelope): string {
  return sharedOf(event).json;
}

/** The same envelope objects in the same order (a filtered subscriber's batch may differ inside). */
function sameEvents(a: readonly Envelope[], b: readonly Envelope[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A complete unmasked text frame (FIN set) whose payload is `prefix` then `tail`. */
export function textFrame(prefix: Buffer, tail: Buffer): Buffer {
  const length = prefix.length + tail.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (headerLength === 2) frame[1] = length;
  else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  prefix.copy(frame, headerLength);
  tail.copy(frame, headerLength + prefix.length);
  return frame;
}

/** A frame's payload (what `ws` frames itself when it cannot take whole frames). */
export function payloadOf(frame: Buffer): Buffer {
  const marker = frame[1]! & 0x7f;
  return frame.subarray(marker < 126 ? 2 : marker === 126 ? 4 : 10);
}

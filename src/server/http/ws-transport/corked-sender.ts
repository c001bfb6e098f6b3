/**
 * Writes a connection's live frames with its TCP socket corked until the subscription that writes
 * them says its fan-out tick is over, so every frame of one tick leaves in a single `writev`
 * instead of one syscall per frame (the syscall, not the bytes, is what a fan-out pays for most).
 *
 * A live event's frame arrives whole, header included and shared with other subscribers
 * (shared-frames.ts), and is written to the TCP socket as it is: one chunk per frame, where `ws`'s
 * `send` would frame it again (a header chunk and a data chunk) and do its own bookkeeping per
 * message. That is the same byte stream `ws` writes, and safe while `ws` adds nothing of its own to
 * a message: no extension was negotiated (permessage-deflate would compress, and queue), which the
 * constructor checks once; otherwise the frame's payload goes through `ws.send` as before. Frames
 * that are not live events (started, snapshot, errors) go through `ws.send` too, in call order: both
 * write to the same socket synchronously, so the order on the wire is the order of the calls.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { payloadOf } from './shared-frames';

const TEXT = { binary: false } as const;

export class CorkedSender {
  private corked = false;
  /** The TCP socket when whole frames may be written to it directly, else null. */
  private readonly direct: Socket | null;

  /** `tcp` is the upgraded request's socket, the one `ws` writes to. */
  constructor(
    private readonly socket: WebSocket,
    private readonly tcp: Socket | null,
  ) {
    this.direct = tcp && socket.extensions === '' ? tcp : null;
  }

  /** A message's payload, framed by `ws`. */
  send(payload: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.cork();
    this.socket.send(payload, TEXT);
  }

  /** A whole frame (header and payload), as shared-frames.ts builds them. */
  writeFrame(frame: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.cork();
    if (this.direct) this.direct.write(frame);
    else this.socket.send(payloadOf(frame), TEXT);
  }

  /** Writes what was sent since the last flush, in one writev. */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.tcp!.uncork();
  }

  /** True while the socket holds more than `maxBytes` unsent, not counting what is corked here. */
  congested(maxBytes: number): boolean {
    if (this.unsent() <= maxBytes) return false;
    this.flush();
    return this.unsent() > maxBytes;
  }

  /** What `ws`'s bufferedAmount says; read from the TCP socket when frames go there directly (ws queues nothing then), a cheaper getter per message. */
  private unsent(): number {
    return this.direct ? this.direct.writableLength : this.socket.bufferedAmount;
  }

  private cork(): void {
    if (this.corked || !this.tcp) return;
    this.corked = true;
    this.tcp.cork();
  }
}

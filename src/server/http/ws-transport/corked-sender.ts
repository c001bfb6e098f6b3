/**
 * Sends a connection's live frames through `ws` with its TCP socket corked until the subscription
 * that writes them says its fan-out tick is over, so every frame of one tick leaves in a single
 * `writev` instead of one syscall per frame (the syscall, not the bytes, is what a fan-out pays for
 * most). `ws` corks and uncorks around each frame itself; Node counts corks, so its uncork does not
 * flush inside ours.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const TEXT = { binary: false } as const;

export class CorkedSender {
  private corked = false;

  /** `tcp` is the upgraded request's socket, the one `ws` writes to. */
  constructor(
    private readonly socket: WebSocket,
    private readonly tcp: Socket | null,
  ) {}

  send(frame: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (!this.corked && this.tcp) {
      this.corked = true;
      this.tcp.cork();
    }
    this.socket.send(frame, TEXT);
  }

  /** Writes what was sent since the last flush, in one writev. */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.tcp!.uncork();
  }

  /** True while the socket holds more than `maxBytes` unsent, not counting what is corked here. */
  congested(maxBytes: number): boolean {
    if (this.socket.bufferedAmount <= maxBytes) return false;
    this.flush();
    return this.socket.bufferedAmount > maxBytes;
  }
}

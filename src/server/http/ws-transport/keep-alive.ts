/**
 * tRPC v11's WebSocket keep-alive, server side: after `pingMs` without a message from the client
 * send the text "PING"; a client that then stays silent for `pongWaitMs` is gone, so its socket is
 * terminated (which ends its subscriptions). Any message counts as a sign of life, as in tRPC.
 *
 * One exists per connection: a class with two timers made once (a message only `refresh()`es the
 * ping timer, it does not allocate one), and no closures (under tsx each carries its own `name`).
 */
import type { WebSocket } from 'ws';

export interface KeepAliveOptions {
  enabled: boolean;
  pingMs?: number;
  pongWaitMs?: number;
}

export class KeepAlive {
  private readonly ping: NodeJS.Timeout;
  private deadline: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    pingMs = 30_000,
    private readonly pongWaitMs = 5_000,
  ) {
    this.ping = setTimeout(sendPing, pingMs, this);
  }

  /** A message arrived: the client is alive; the next ping is `pingMs` from now. */
  onMessage(): void {
    if (this.deadline) {
      clearTimeout(this.deadline);
      this.deadline = null;
    }
    this.ping.refresh();
  }

  stop(): void {
    clearTimeout(this.ping);
    if (this.deadline) clearTimeout(this.deadline);
    this.deadline = null;
  }

  /** The ping timer fired. */
  sendPing(): void {
    this.socket.send('PING');
    this.deadline ??= setTimeout(terminate, this.pongWaitMs, this.socket);
  }
}

function sendPing(keepAlive: KeepAlive): void {
  keepAlive.sendPing();
}

function terminate(socket: WebSocket): void {
  socket.terminate();
}

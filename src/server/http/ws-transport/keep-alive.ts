/**
 * tRPC v11's WebSocket keep-alive, server side: after `pingMs` without a message from the client
 * send the text "PING"; a client that then stays silent for `pongWaitMs` is gone, so its socket is
 * terminated (which ends its subscriptions). Any message counts as a sign of life, as in tRPC.
 */
import type { WebSocket } from 'ws';

export interface KeepAliveOptions {
  enabled: boolean;
  pingMs?: number;
  pongWaitMs?: number;
}

export function keepAlive(socket: WebSocket, pingMs = 30_000, pongWaitMs = 5_000): { onMessage(): void; stop(): void } {
  let ping: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(ping);
    clearTimeout(deadline);
    ping = setTimeout(() => {
      socket.send('PING');
      deadline = setTimeout(() => socket.terminate(), pongWaitMs);
    }, pingMs);
  };
  schedule();
  return {
    onMessage: schedule,
    stop() {
      clearTimeout(ping);
      clearTimeout(deadline);
    },
  };
}

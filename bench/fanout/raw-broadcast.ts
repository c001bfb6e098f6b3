/**
 * The baselines: a raw `ws` server that serializes each bus event once and sends it to every
 * socket. No protocol, no per-subscriber state.
 *
 * - naive (`raw-ws`): one `socket.send(string)` per event per socket, each its own write: what the
 *   old app did, and what a `ws` broadcast written the obvious way does.
 * - corked (`raw-ws-corked`): the same sends, but each socket's TCP stream is corked on its first
 *   send of the event-loop turn and uncorked in a `process.nextTick` once the turn's fan-out is
 *   over, so a socket's frames of one turn leave in one `writev`: exactly what our transport does
 *   (src/server/http/ws-transport/corked-sender.ts, flushed by the hub's `flushAfterFanout`), with
 *   the event encoded once to a Buffer as ours does. This is the limit of a socket through `ws`.
 *   Written out here rather than imported so the baseline does not move when the transport does.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '~/server/events/bus';

const TEXT = { binary: false } as const;

/** One socket's cork state for the turn, as CorkedSender keeps it. */
interface Corkable {
  socket: WebSocket;
  tcp: Socket;
  corked: boolean;
}

export async function startRawBroadcast(bus: EventBus, opts: { corked: boolean }) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  const corkables = new Map<WebSocket, Corkable>();
  if (opts.corked) {
    wss.on('connection', (socket) => {
      // `ws` writes to the upgraded request's socket; it keeps it as `_socket`.
      corkables.set(socket, { socket, tcp: (socket as unknown as { _socket: Socket })._socket, corked: false });
      socket.on('close', () => corkables.delete(socket));
    });
  }
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    for (const entry of corkables.values()) {
      if (!entry.corked) continue;
      entry.corked = false;
      entry.tcp.uncork();
    }
  };
  const detach = bus.listen(
    opts.corked
      ? (events) => {
          for (const event of events) {
            const frame = Buffer.from(JSON.stringify(event));
            for (const entry of corkables.values()) {
              if (entry.socket.readyState !== entry.socket.OPEN) continue;
              if (!entry.corked) {
                entry.corked = true;
                entry.tcp.cork();
              }
              entry.socket.send(frame, TEXT);
            }
          }
          if (!flushScheduled) {
            flushScheduled = true;
            process.nextTick(flush);
          }
        }
      : (events) => {
          for (const event of events) {
            const json = JSON.stringify(event);
            for (const socket of wss.clients) socket.send(json);
          }
        },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `ws://127.0.0.1:${port}`,
    async close() {
      detach();
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

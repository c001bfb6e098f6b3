/**
 * The baseline: a raw `ws` server that serializes each bus event once and sends that string to
 * every socket. No protocol, no per-subscriber state: the ceiling a fan-out path is compared to.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import type { EventBus } from '~/server/events/bus';

export async function startRawBroadcast(bus: EventBus) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  const detach = bus.listen((events) => {
    for (const event of events) {
      const json = JSON.stringify(event);
      for (const socket of wss.clients) socket.send(json);
    }
  });
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

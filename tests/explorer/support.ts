/**
 * Next route handlers over real HTTP without a Next build: a node:http server that turns each
 * request into the fetch Request a route module takes and streams its Response back (so a
 * download is read from a socket as a browser reads it). The route modules find the runtime as
 * under `npm start`, through the process-wide holder (tests/access/support.ts serveRouteHandlersFrom).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type RouteHandler = (request: Request) => Promise<Response>;

export async function serveRoutes(routes: Record<string, RouteHandler>): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const handler = routes[url.pathname];
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const response = await handler(new Request(url, { method: req.method, headers }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (!response.body) return res.end();
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

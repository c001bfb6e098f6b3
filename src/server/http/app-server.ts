/**
 * One HTTP server, one port: tRPC over HTTP (batched queries and mutations, SSE subscriptions)
 * and WebSocket on /api/trpc, and the Next.js app for everything else.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { appRouter } from '../api/root';
import { createContextFactory } from '../api/trpc';
import { flowStats } from '../events/flow-control';
import { log as logger } from '../log';
import { applyLinernotesWSHandler } from './ws-transport/ws-transport';
import { createLinernotesSSEHandler } from './sse-transport/sse-transport';
import type { Runtime } from '../runtime';

export const TRPC_PATH = '/api/trpc';

export interface NextApp {
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;
  /** Next's dev-reload WebSocket (HMR), in development only. */
  upgrade?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  close?: () => Promise<void>;
}

export interface AppServerOptions {
  runtime: Runtime;
  port: number;
  host: string;
  next?: NextApp | null;
  /** Largest HTTP request body (an import's CSV travels in one). */
  maxBodyBytes?: number;
}

export interface AppServer {
  url: string;
  port: number;
  server: http.Server;
  wss: WebSocketServer;
  close(): Promise<void>;
}

export async function startAppServer(opts: AppServerOptions): Promise<AppServer> {
  const { runtime } = opts;
  const createContext = createContextFactory(runtime);
  const trpcHttp = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_PATH}/`,
    maxBodySize: opts.maxBodyBytes ?? 64 << 20,
    createContext: ({ res }) => createContext({ res }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path }, 'tRPC procedure failed');
    },
  });

  // Subscription GETs (SSE) go to ours unless SSE_TRANSPORT=trpc; same wire protocol either way
  // (tests/transport/sse-conformance.test.ts), ours without tRPC's per-subscriber web streams.
  const sse =
    runtime.config.SSE_TRANSPORT === 'linernotes'
      ? createLinernotesSSEHandler({
          router: appRouter,
          basePath: `${TRPC_PATH}/`,
          createContext: ({ res }) => createContext({ res }),
          onError: ({ error, path }) => {
            if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path }, 'tRPC procedure failed');
          },
        })
      : null;

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path.startsWith(`${TRPC_PATH}/`)) return sse?.handle(req, res) || trpcHttp(req, res);
    if (path === '/api/health') return health(runtime, res);
    if (opts.next) {
      Promise.resolve(opts.next.handle(req, res)).catch((error: unknown) => {
        logger.error({ err: error, path }, 'page failed');
        if (!res.headersSent) res.writeHead(500).end('Internal error');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: runtime.config.WS_MAX_PAYLOAD_BYTES });
  const keepAlive = { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 };
  // Same wire protocol either way (tests/transport checks both); ours serializes each event once
  // for all its subscribers and enforces the per-connection caps of runtime.flow.
  const wsHandler =
    runtime.config.WS_TRANSPORT === 'trpc'
      ? applyWSSHandler({ wss, router: appRouter, createContext: ({ res }) => createContext({ res }), keepAlive })
      : applyLinernotesWSHandler({
          wss,
          router: appRouter,
          createContext: ({ res }) => createContext({ res }),
          keepAlive,
          limits: runtime.flow,
          onError: ({ error, path }) => {
            if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error, path }, 'tRPC procedure failed');
          },
        });

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    // Exactly this path: a path Next also routes would be closed by Next's own upgrade listener.
    if (path === TRPC_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } else if (opts.next?.upgrade && path?.startsWith('/_next/')) {
      opts.next.upgrade(req, socket, head);
    } else {
      // Neither ours nor Next's dev reload: an upgrade left hanging would block shutdown.
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    server,
    wss,
    close() {
      closing ??= (async () => {
        // Tell tRPC clients to reconnect (to this server again, or another) rather than fail.
        wsHandler.broadcastReconnectNotification();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const client of wss.clients) client.close(1012, 'server restarting');
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await opts.next?.close?.();
      })();
      return closing;
    },
  };
}

function health(runtime: Runtime, res: http.ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(
    JSON.stringify({
      ok: true,
      database: runtime.dbKind,
      epoch: runtime.log.epoch,
      subscribers: runtime.hub.size(),
      flow: flowStats,
    }),
  );
}

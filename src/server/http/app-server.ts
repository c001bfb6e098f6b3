/**
 * One HTTP server, one port: Better Auth on /api/auth, tRPC over HTTP (batched queries and
 * mutations, SSE subscriptions) and WebSocket on /api/trpc, and the Next.js app for everything
 * else. The access gate is here: the caller of each request and connection is resolved once,
 * cross-site cookie requests and upgrades are refused, and so are unauthenticated upgrades and
 * SSE subscriptions (401); procedures check sign-in and roles themselves (api/trpc.ts).
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { TRPCError } from '@trpc/server';
import { toNodeHandler } from 'better-auth/node';
import { WebSocketServer } from 'ws';
import { appRouter } from '../api/root';
import { errorIdOf } from '../api/error-id';
import { createContextFactory, type Context } from '../api/trpc';
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from '../auth/auth';
import { headersOf } from '../auth/caller';
import { isOriginAllowed } from '../auth/origin';
import { log as logger } from '../log';
import { applyLinernotesWSHandler, type RequestSummary } from './ws-transport/ws-transport';
import { createLinernotesSSEHandler } from './sse-transport/sse-transport';
import type { Runtime } from '../runtime';
import { ConnectionLimits } from './connection-limits';
import { hostCheck } from './host-check';
import { PostgresBus } from '../events/bus-postgres';
import { appMetrics, type AppFigures } from '../observability/metrics';
import { opsPaths, serveOps } from './ops-endpoints';
import { guardPage } from './page-guard';
import { requestIdOf } from './request-id';
import { callerOfRequest, resolveCredentials } from './request-caller';

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
  /** An HTTP request's context: its caller was resolved by the gate; an SSE response's grant is watched while it is open. */
  const httpContext = async ({ req, res, info }: { req: http.IncomingMessage; res: http.ServerResponse; info: { type: string; signal: AbortSignal } }) => {
    const { caller, problem } = await callerOfRequest(runtime, req);
    return createContext({ caller, credentialProblem: problem, res, lifetime: info.type === 'subscription' ? info.signal : null });
  };
  const authHandler = toNodeHandler(runtime.auth);
  const trpcHttp = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_PATH}/`,
    maxBodySize: opts.maxBodyBytes ?? 64 << 20,
    createContext: httpContext,
    onError: logProcedureError,
  });

  // Subscription GETs (SSE) go to ours unless SSE_TRANSPORT=trpc; same wire protocol either way
  // (tests/transport/sse-conformance.test.ts), ours without tRPC's per-subscriber web streams.
  const sse =
    runtime.config.SSE_TRANSPORT === 'linernotes'
      ? createLinernotesSSEHandler({
          router: appRouter,
          basePath: `${TRPC_PATH}/`,
          createContext: httpContext,
          onError: logProcedureError,
        })
      : null;

  const serveTrpc = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const { caller, problem, viaCookie } = await callerOfRequest(runtime, req);
    if (viaCookie && !isOriginAllowed(runtime.config, headersOf(req.headers))) {
      return refuse(res, 403, 'FORBIDDEN', 'This request came from another site: the API only takes cookie requests from its own pages (or ALLOWED_ORIGINS).');
    }
    if (req.method === 'GET' && subscriptionPaths.has(path.slice(TRPC_PATH.length + 1))) {
      // An SSE subscription without a caller is refused as HTTP, before any stream starts.
      if (!caller) return refuse(res, 401, 'UNAUTHORIZED', problem ?? 'Sign in first, or send an API key as `Authorization: Bearer <key>`.');
      const release = limits.acquire(req.socket.remoteAddress ?? 'unknown');
      if (typeof release === 'string') return refuse(res, 429, 'TOO_MANY_REQUESTS', release);
      openSse++;
      res.once('close', () => {
        openSse--;
        release();
      });
    }
    if (!sse?.handle(req, res)) await trpcHttp(req, res);
  };
  const limits = new ConnectionLimits(runtime.config.MAX_CONNECTIONS_PER_IP, runtime.config.MAX_CONNECTIONS);
  let openSse = 0;
  const figures: AppFigures = {
    connections: () => ({ ws: wss.clients.size, sse: openSse }),
    subscriptionsByProcedure: () => runtime.hub.countByLabel(),
    queuedBytes: () => runtime.hub.queuedBytes(),
    outboxLag: async () => Math.max(0, (await runtime.log.head()) - (runtime.bus instanceof PostgresBus ? runtime.bus.deliveredPosition() : runtime.log.publishedSeq)),
    pool: () => (runtime.handle.pool ? { total: runtime.handle.pool.totalCount, idle: runtime.handle.pool.idleCount, waiting: runtime.handle.pool.waitingCount } : null),
    watchedGrants: () => runtime.access.size(),
  };
  runtime.figures = figures;
  const metrics = appMetrics(figures);
  const hostAllowed = hostCheck(runtime.config);
  const misdirected = 'This server answers requests addressed to its own name only (it is bound to loopback); use http://127.0.0.1 or http://localhost.';

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    res.setHeader('x-request-id', requestIdOf(req));
    if (!hostAllowed(req.headers.host)) return void res.writeHead(421, { 'content-type': 'text/plain' }).end(misdirected);
    // The auth rate limit keys on this; a client cannot set it (it is overwritten here).
    req.headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? 'unknown';
    let served: Promise<unknown> | unknown;
    if (path.startsWith(`${TRPC_PATH}/`)) served = serveTrpc(req, res, path);
    else if (path === AUTH_BASE_PATH || path.startsWith(`${AUTH_BASE_PATH}/`)) {
      // Sign-out, a revoked session, a removed member: open streams re-check their access at once.
      if (req.method !== 'GET') res.once('finish', () => runtime.access.recheckSoon());
      served = authHandler(req, res);
    } else if (opsPaths.has(path)) served = serveOps(runtime, metrics, req, res, path);
    else if (opts.next) {
      const next = opts.next;
      served = guardPage(runtime, req, res, path).then((handled) => handled || next.handle(req, res));
    } else return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    Promise.resolve(served).catch((error: unknown) => {
      logger.error({ err: error, path, requestId: requestIdOf(req) }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal error');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: runtime.config.WS_MAX_PAYLOAD_BYTES });
  const keepAlive = { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 };
  // Same wire protocol either way (tests/transport checks both); ours serializes each event once
  // for all its subscribers and enforces the per-connection caps of runtime.flow.
  /**
   * A connection's context, once: from `connectionParams.token` when the client sent one, else
   * from what the upgrade carried (cookie or Authorization). Its grant is watched while the
   * socket is open; revoked, the socket is closed once its subscriptions have said why.
   */
  const wsContext = async ({ req, res, info }: { req: http.IncomingMessage; res: import('ws').WebSocket; info: { connectionParams: Record<string, string | undefined> | null } }): Promise<Context> => {
    const token = info.connectionParams?.token ?? null;
    const { caller, problem } = token ? await resolveCredentials(runtime, headersOf(req.headers), token) : await callerOfRequest(runtime, req);
    if (!caller) throw new TRPCError({ code: 'UNAUTHORIZED', message: problem ?? 'Send an API key as `connectionParams: { token }`, or sign in.' });
    clearTimeout(awaitingCredentials.get(req));
    // Watched while the socket is open (a shared 'close' listener, not info.signal, which our
    // transport then never makes): revoked, the socket is closed once its subscriptions said why.
    return createContext({ caller, res, socket: res });
  };
  const awaitingCredentials = new WeakMap<http.IncomingMessage, NodeJS.Timeout>();
  const wsHandler =
    runtime.config.WS_TRANSPORT === 'trpc'
      ? applyWSSHandler({ wss, router: appRouter, createContext: wsContext, keepAlive, onError: logProcedureError })
      : applyLinernotesWSHandler({
          wss,
          router: appRouter,
          createContext: wsContext,
          keepAlive,
          limits: runtime.flow,
          onError: logWsProcedureError,
        });

  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    // Exactly this path: a path Next also routes would be closed by Next's own upgrade listener.
    if (path === TRPC_PATH) {
      void upgradeTrpc(req, socket, head).catch((error: unknown) => {
        logger.error({ err: error }, 'WebSocket upgrade failed');
        refuseUpgrade(socket, 500, 'Internal error');
      });
    } else if (opts.next?.upgrade && path?.startsWith('/_next/')) {
      opts.next.upgrade(req, socket, head);
    } else {
      // Neither ours nor Next's dev reload: an upgrade left hanging would block shutdown.
      socket.destroy();
    }
  });

  /**
   * Refused before upgrading: a foreign Origin (403: no other site's page may open a socket that
   * carries the user's cookie), and no credentials at all (401). A client that announces
   * connectionParams may bring its key in the first message instead; it has 10 s to do so.
   */
  async function upgradeTrpc(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    if (!hostAllowed(req.headers.host)) return refuseUpgrade(socket, 421, misdirected);
    const headers = headersOf(req.headers);
    if (!isOriginAllowed(runtime.config, headers)) return refuseUpgrade(socket, 403, 'This WebSocket was opened by another site; only the app\'s own pages (or ALLOWED_ORIGINS) may open one.');
    const wantsConnectionParams = new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
    const { caller, problem } = await callerOfRequest(runtime, req);
    if (!caller && (problem || !wantsConnectionParams)) return refuseUpgrade(socket, 401, problem ?? 'Sign in first, or send an API key (Authorization: Bearer <key>, or connectionParams.token).');
    const release = limits.acquire(req.socket.remoteAddress ?? 'unknown');
    if (typeof release === 'string') return refuseUpgrade(socket, 429, release);
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!caller) awaitingCredentials.set(req, setTimeout(() => ws.close(4401, 'no credentials were sent'), 10_000).unref());
      wss.emit('connection', ws, req);
    });
  }

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

/**
 * Our WebSocket transport passes a connection's RequestSummary once its context exists, not the
 * IncomingMessage. The cast is sound for what logProcedureError does with it: requestIdOf reads
 * only `headers['x-request-id']` and memoizes on the object, which the connection keeps for life.
 */
function logWsProcedureError({ error, path, req }: { error: TRPCError; path: string | undefined; req: http.IncomingMessage | RequestSummary }) {
  logProcedureError({ error, path, req: req as http.IncomingMessage });
}

/** Unexpected failures are logged with the id their caller was given (api/error-id.ts). */
function logProcedureError({ error, path, req }: { error: TRPCError; path: string | undefined; req: http.IncomingMessage }) {
  if (error.code === 'INTERNAL_SERVER_ERROR') {
    logger.error({ err: error.cause ?? error, path, errorId: errorIdOf(error), requestId: requestIdOf(req) }, 'tRPC procedure failed');
  }
}

const subscriptionPaths = new Set(
  Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
    .filter(([, procedure]) => procedure._def.type === 'subscription')
    .map(([path]) => path),
);

/** A refusal in tRPC's error shape, so a tRPC client reads its code and message like any other error. */
const jsonRpcCodes = { UNAUTHORIZED: -32001, FORBIDDEN: -32003, TOO_MANY_REQUESTS: -32029 } as const;

function refuse(res: http.ServerResponse, status: 401 | 403 | 429, code: keyof typeof jsonRpcCodes, message: string) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: { message, code: jsonRpcCodes[code], data: { code, httpStatus: status } } }));
}

function refuseUpgrade(socket: Duplex, status: number, message: string) {
  const reason = http.STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ error: { message, data: { httpStatus: status } } });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}


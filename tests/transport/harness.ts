/**
 * The conformance harness: the project's subscriptions and queries (plus a probe router for the
 * protocol cases the app has no procedure for yet) behind either WebSocket handler, stock tRPC's
 * `applyWSSHandler` or ours, on an ephemeral port, with the stock `@trpc/client` in front.
 */
import http from 'node:http';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { tracked } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { z } from 'zod';
import { logActivity } from '~/server/activity/log-activity';
import { activityRouter } from '~/server/api/routers/activity';
import { subscriptions } from '~/server/api/subscriptions';
import { createContextFactory, protectedProcedure, router } from '~/server/api/trpc';
import { applyLinernotesWSHandler, type ConnectionLimits } from '~/server/http/ws-transport/ws-transport';
import { testCaller } from '../support/accounts';
import type { TestRuntime as Runtime } from '../support/runtime';

export type HandlerKind = 'trpc' | 'linernotes';
export const handlerKinds: HandlerKind[] = ['trpc', 'linernotes'];

const probeRouter = router({
  echo: protectedProcedure.input(z.object({ text: z.string() })).mutation(({ input }) => ({ echoed: input.text })),
  /** Yields two tracked values and returns: the server ends it, so the client sees `stopped`. */
  finite: protectedProcedure.subscription(async function* () {
    yield tracked('p:1', { n: 1 });
    yield tracked('p:2', { n: 2 });
  }),
  /** Yields once, then fails: the error belongs to this subscription, not the socket. */
  failing: protectedProcedure.subscription(async function* () {
    yield tracked('p:1', { n: 1 });
    throw new Error('probe failed on purpose');
  }),
});

export const conformanceRouter = router({ ...subscriptions, activity: activityRouter, probe: probeRouter });
export type ConformanceRouter = typeof conformanceRouter;

export interface HarnessOptions {
  keepAlive?: { pingMs: number; pongWaitMs: number };
  limits?: Partial<ConnectionLimits>;
}

export async function startHarness(kind: HandlerKind, runtime: Runtime, opts: HarnessOptions = {}) {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  let connections = 0;
  wss.on('connection', () => connections++);
  const connectionParams: unknown[] = [];
  const baseContext = createContextFactory(runtime);
  const createContext = ({ res, info }: { res: WebSocket; info: { connectionParams: unknown } }) => {
    connectionParams.push(info.connectionParams);
    return baseContext({ caller: testCaller(runtime.workspaceId), res });
  };
  const keepAlive = opts.keepAlive ? { enabled: true, ...opts.keepAlive } : { enabled: false };
  const handler =
    kind === 'trpc'
      ? applyWSSHandler({ wss, router: conformanceRouter, createContext, keepAlive })
      : applyLinernotesWSHandler({
          wss,
          router: conformanceRouter,
          createContext,
          keepAlive,
          limits: { maxSubscriptionsPerConnection: 100, maxInboundMessagesPerSecond: 1000, ...opts.limits },
        });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = `ws://127.0.0.1:${port}`;
  const clients: Array<{ close: () => void }> = [];
  return {
    url,
    wss,
    handler,
    connectionParams,
    get connections() {
      return connections;
    },
    /** A stock tRPC client (wsLink for every operation) on this server. */
    client(clientOpts: { connectionParams?: Record<string, string>; keepAlive?: { intervalMs: number; pongTimeoutMs: number } } = {}) {
      const wsClient = createWSClient({
        url,
        WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
        retryDelayMs: () => 50,
        connectionParams: clientOpts.connectionParams,
        keepAlive: clientOpts.keepAlive ? { enabled: true, ...clientOpts.keepAlive } : undefined,
      });
      clients.push(wsClient);
      return createTRPCClient<ConformanceRouter>({ links: [wsLink({ client: wsClient })] });
    },
    /** Cuts every connection from the server side, as a network drop would. */
    dropAll() {
      for (const socket of wss.clients) socket.terminate();
    },
    async close() {
      for (const client of clients) client.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A durable activity_logged event through the real outbox. */
export function logNote(runtime: Runtime, message: string) {
  return runtime.log.transaction((tx) => logActivity(tx, { workspaceId: runtime.workspaceId, kind: 'note', message }));
}

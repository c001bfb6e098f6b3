/**
 * Linernotes' WebSocket transport: tRPC v11's wire protocol (the stock `createWSClient` + `wsLink`
 * talk to it unchanged) driving the same router, but built for fan-out: a subscription's frames
 * reuse each event's JSON, computed once for all subscribers, instead of one `JSON.stringify`, a
 * generator race and an envelope copy per subscriber per event. A drop-in for `applyWSSHandler`
 * (tests/transport runs one conformance suite against both).
 */
import type { IncomingMessage } from 'node:http';
import type { AnyRouter, inferRouterContext, TRPCError } from '@trpc/server';
import type { WebSocket, WebSocketServer } from 'ws';
import { serveConnection } from './connection';
import { RECONNECT_NOTIFICATION } from './frames';
import type { KeepAliveOptions } from './keep-alive';

export interface ConnectionLimits {
  /** Open subscriptions one connection may hold; the next gets TOO_MANY_REQUESTS. */
  maxSubscriptionsPerConnection: number;
  /** Requests (queries, mutations, subscribes) one connection may send per second. */
  maxInboundMessagesPerSecond: number;
}

/**
 * What onError gets as `req` once a connection's context exists: the request's method, URL and
 * x-request-id header only. The connection lets go of the IncomingMessage then (it and what hangs
 * on it cost about 1 KB per open socket); onError of a failed context still gets the request.
 */
export interface RequestSummary {
  method: string | undefined;
  url: string | undefined;
  headers: { 'x-request-id'?: string | string[] };
}

export interface WSTransportOptions<TRouter extends AnyRouter> {
  wss: WebSocketServer;
  router: TRouter;
  createContext: (opts: {
    req: IncomingMessage;
    res: WebSocket;
    info: {
      connectionParams: Record<string, string | undefined> | null;
      calls: [];
      isBatchCall: false;
      accept: null;
      type: 'unknown';
      signal: AbortSignal;
      url: null;
    };
  }) => inferRouterContext<TRouter> | Promise<inferRouterContext<TRouter>>;
  keepAlive?: KeepAliveOptions;
  limits: ConnectionLimits;
  onError?: (opts: { error: TRPCError; path: string | undefined; type: string; ctx: unknown; req: IncomingMessage | RequestSummary; input: unknown }) => void;
}

export function applyLinernotesWSHandler<TRouter extends AnyRouter>(opts: WSTransportOptions<TRouter>) {
  opts.wss.on('connection', (socket: WebSocket, req: IncomingMessage) => serveConnection(opts, socket, req));
  return {
    /** Asks every connected tRPC client to reconnect (it resubscribes from its last ids). */
    broadcastReconnectNotification() {
      for (const client of opts.wss.clients) if (client.readyState === client.OPEN) client.send(RECONNECT_NOTIFICATION);
    },
  };
}

/**
 * Linernotes' SSE transport: tRPC v11's SSE wire protocol (the stock `httpSubscriptionLink` reads
 * it unchanged) driving the same router's subscription procedures, written straight to the Node
 * response. tRPC's own path pipes every subscriber through a web-stream pipeline (a readable from
 * the generator, a TransformStream, a TextEncoderStream, a WritableStream onto the response) and
 * `JSON.stringify`s each event per subscriber; here a subscriber costs one loop over its
 * procedure's iterator, and a durable event's whole SSE message is one buffer shared by all of
 * its subscribers. tests/transport/sse-conformance.test.ts runs one suite against both.
 *
 * Only subscription GETs come here; everything else (queries, mutations, batches) stays with
 * tRPC's HTTP handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyRouter, inferRouterContext, TRPCError } from '@trpc/server';
import type { TRPCRequestInfo } from '@trpc/server/http';
import { serveSubscription } from './serve-subscription';
import { subscriptionRequestOf } from './subscription-request';

export interface SSETransportOptions<TRouter extends AnyRouter> {
  router: TRouter;
  /** Where procedure paths start, with its trailing slash: `/api/trpc/`. */
  basePath: string;
  createContext: (opts: { req: IncomingMessage; res: ServerResponse; info: TRPCRequestInfo }) =>
    | inferRouterContext<TRouter>
    | Promise<inferRouterContext<TRouter>>;
  onError?: (opts: { error: TRPCError; path: string | undefined; type: 'subscription'; ctx: unknown; req: IncomingMessage; input: unknown }) => void;
}

export interface SSETransport {
  /** Serves the request when it is a subscription GET and says so; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createLinernotesSSEHandler<TRouter extends AnyRouter>(opts: SSETransportOptions<TRouter>): SSETransport {
  return {
    handle(req, res) {
      const request = subscriptionRequestOf(opts.router, opts.basePath, req);
      if (!request) return false;
      void serveSubscription(opts, request, req, res);
      return true;
    },
  };
}

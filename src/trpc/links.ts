/**
 * The transports, in one place: subscriptions over WebSocket (default) or SSE, everything else
 * over batched HTTP. Shared by the React provider and the script client.
 */
import {
  createWSClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  wsLink,
  type TRPCLink,
} from '@trpc/client';
import type { AppRouter } from '~/server/api/root';

export type Transport = 'ws' | 'sse';
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LinkOptions {
  /** http(s)://host:port of the server. */
  baseUrl: string;
  transport: Transport;
  /** The WebSocket implementation (Node 20 has none built in: pass `ws`). */
  WebSocket?: typeof globalThis.WebSocket;
  onState?: (state: ConnectionState) => void;
  /** The EventSource implementation for SSE (Node 20 has none built in: pass `eventsource`'s). */
  EventSource?: typeof globalThis.EventSource;
  /** Called when the WebSocket cannot be used at all, so the caller may fall back to SSE. */
  onWebSocketUnavailable?: () => void;
  /**
   * An API key, for scripts: sent as `Authorization: Bearer` on HTTP and SSE and as
   * `connectionParams.token` on the WebSocket. Browsers leave it out and use their session cookie.
   */
  apiKey?: string;
  /**
   * Open the WebSocket only while a subscription needs it, and close it 5 s after the last one
   * ends (browsers: a page without live data, like sign-in, opens none before there is a session).
   */
  lazy?: boolean;
}

/** Jittered exponential backoff: 0.5 s, 1 s, 2 s ... capped at 30 s, each time 50-100 % of that. */
export function reconnectDelayMs(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

export function createLinks(opts: LinkOptions): { links: TRPCLink<AppRouter>[]; close: () => void } {
  const trpcUrl = `${opts.baseUrl}/api/trpc`;
  const headers = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : undefined;
  const http = httpBatchLink<AppRouter>({ url: trpcUrl, maxURLLength: 4000, headers });
  if (opts.transport === 'sse') {
    opts.onState?.('live');
    return {
      links: [
        splitLink({
          condition: (op) => op.type === 'subscription',
          true: httpSubscriptionLink<AppRouter, typeof globalThis.EventSource>({
            url: trpcUrl,
            EventSource: opts.EventSource,
            // The `eventsource` package (Node) takes a fetch to send headers with; browsers send the cookie.
            eventSourceOptions: headers ? () => ({ fetch: (input: string | URL, init?: RequestInit) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) }) as never : undefined,
          }),
          false: http,
        }),
      ],
      close: () => {},
    };
  }
  let everOpened = false;
  let failures = 0;
  const wsClient = createWSClient({
    url: trpcUrl.replace(/^http/, 'ws'),
    WebSocket: opts.WebSocket,
    retryDelayMs: reconnectDelayMs,
    connectionParams: opts.apiKey ? { token: opts.apiKey } : undefined,
    lazy: opts.lazy ? { enabled: true, closeMs: 5_000 } : undefined,
    keepAlive: { enabled: true, intervalMs: 20_000, pongTimeoutMs: 10_000 },
    onOpen: () => {
      everOpened = true;
      failures = 0;
      opts.onState?.('live');
    },
    onClose: () => {
      failures++;
      opts.onState?.(failures > 8 ? 'offline' : 'reconnecting');
      if (!everOpened && failures >= 3) opts.onWebSocketUnavailable?.();
    },
  });
  return {
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: http,
      }),
    ],
    close: () => wsClient.close(),
  };
}

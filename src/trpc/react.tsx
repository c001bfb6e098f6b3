'use client';
/**
 * The whole browser-side tRPC setup: query client, links (WebSocket subscriptions with SSE as
 * the fallback, batched HTTP for the rest), and the live connection state.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCReact } from '@trpc/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppRouter } from '~/server/api/root';
import { createLinks, type ConnectionState, type Transport } from './links';

export const api = createTRPCReact<AppRouter>();

const ConnectionContext = createContext<{ state: ConnectionState; transport: Transport }>({ state: 'connecting', transport: 'ws' });

/** live / reconnecting / offline, from the client's real connection. */
export function useConnectionState() {
  return useContext(ConnectionContext);
}

type StreamState = 'live' | 'reconnecting';
type ReportStreamState = (stream: string, state: StreamState | null) => void;
const StreamStateContext = createContext<ReportStreamState>(() => {});

/**
 * Lets each live stream say whether its subscription is connected. Over SSE there is no one
 * socket whose open/close the links can watch: every EventSource reconnects on its own, so the
 * indicator is what the streams report (`null` when a stream unmounts).
 */
export function useReportStreamState(): ReportStreamState {
  return useContext(StreamStateContext);
}

function preferredTransport(): Transport {
  const fromQuery = new URLSearchParams(window.location.search).get('transport');
  if (fromQuery === 'sse' || fromQuery === 'ws') return fromQuery;
  const stored = window.localStorage.getItem('linernotes.transport');
  if (stored === 'sse' || stored === 'ws') return stored;
  return process.env.NEXT_PUBLIC_TRANSPORT === 'sse' ? 'sse' : 'ws';
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false } } }));
  // Chosen after mount: the server renders nothing here, and the first client render must match
  // it (the transport comes from the URL and localStorage, which the server cannot see).
  const [transport, setTransport] = useState<Transport | null>(null);
  useEffect(() => setTransport(preferredTransport()), []);
  const [state, setState] = useState<ConnectionState>('connecting');
  // One client per transport, created only in the browser.
  const [clients] = useState(() => new Map<Transport, ReturnType<typeof api.createClient>>());
  const [closers] = useState(() => new Map<Transport, () => void>());

  let trpcClient = transport ? clients.get(transport) : undefined;
  if (!trpcClient && transport) {
    const { links, close } = createLinks({
      baseUrl: window.location.origin,
      transport,
      onState: setState,
      onWebSocketUnavailable: () => setTransport('sse'),
    });
    trpcClient = api.createClient({ links });
    clients.set(transport, trpcClient);
    closers.set(transport, close);
  }
  useEffect(() => () => closers.forEach((close) => close()), [closers]);

  useEffect(() => {
    const offline = () => setState('offline');
    // Back online: the links' own reconnect decides when it is live again.
    const online = () => setState((current) => (current === 'offline' ? 'reconnecting' : current));
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    };
  }, []);

  const [streamStates, setStreamStates] = useState<Record<string, StreamState>>({});
  const reportStreamState = useCallback<ReportStreamState>((stream, streamState) => {
    setStreamStates((current) => {
      if ((current[stream] ?? null) === streamState) return current;
      const next = { ...current };
      if (streamState) next[stream] = streamState;
      else delete next[stream];
      return next;
    });
  }, []);
  const sseState: ConnectionState = Object.values(streamStates).includes('reconnecting')
    ? 'reconnecting'
    : Object.keys(streamStates).length > 0
      ? 'live'
      : 'connecting';
  const shownState: ConnectionState = state === 'offline' ? 'offline' : transport === 'sse' ? sseState : state;
  const connection = useMemo(() => ({ state: shownState, transport: transport ?? 'ws' }), [shownState, transport]);

  if (!trpcClient) return null;
  return (
    <api.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <StreamStateContext.Provider value={reportStreamState}>
          <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>
        </StreamStateContext.Provider>
      </QueryClientProvider>
    </api.Provider>
  );
}

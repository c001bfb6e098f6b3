'use client';
/**
 * The whole browser-side tRPC setup: query client, links (WebSocket subscriptions with SSE as
 * the fallback, batched HTTP for the rest), the live connection state, and re-authentication.
 *
 * The server binds a WebSocket connection or an SSE subscription to the session and workspace it
 * was opened with. So after signing in, accepting an invitation or switching workspace, the live
 * connection is replaced (`useLiveConnection().reconnect`): a new client, every stream subscribed
 * again from a fresh snapshot, every query fetched again. A stream refused for lack of a session or
 * of access is reported to the handler the app registers (`useAccessProblemHandler`).
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { httpBatchLink, splitLink, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { createTRPCReact } from '@trpc/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppRouter } from '~/server/api/root';
import { authClient } from './auth-client';
import { createLinks, type ConnectionState, type Transport } from './links';

export type { RouterInputs, RouterOutputs } from './types';

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

/** The caller has no session any more (UNAUTHORIZED), or lost access to the workspace or role a stream was opened with (FORBIDDEN). */
export interface AccessProblem {
  code: 'UNAUTHORIZED' | 'FORBIDDEN';
  message: string;
}

export type AccessProblemHandler = (problem: AccessProblem) => void;

/** The access problem an error from a procedure stands for, if it is one. */
export function accessProblemOf(error: unknown): AccessProblem | null {
  if (!(error instanceof TRPCClientError)) return null;
  const code = (error.data as { code?: unknown } | undefined)?.code;
  return code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? { code, message: error.message } : null;
}

interface LiveConnection {
  /** Changes each time a new connection replaces the old one; live streams subscribe again on it. */
  generation: number;
  /** False while the page is rendered on the server and hydrated: live streams wait for the transport to be chosen. */
  ready: boolean;
  /** Replace the live connection (it opens with the current cookie) and fetch every query again. */
  reconnect: () => Promise<void>;
  reportAccessProblem: (problem: AccessProblem) => void;
  setAccessProblemHandler: (handler: AccessProblemHandler | null) => void;
}

const LiveConnectionContext = createContext<LiveConnection>({
  generation: 0,
  ready: false,
  reconnect: async () => {},
  reportAccessProblem: () => {},
  setAccessProblemHandler: () => {},
});

export function useLiveConnection(): Pick<LiveConnection, 'generation' | 'ready' | 'reconnect' | 'reportAccessProblem'> {
  return useContext(LiveConnectionContext);
}

/** Decides what a person sees when access is lost (one handler for the app; the latest render's wins). */
export function useAccessProblemHandler(handler: AccessProblemHandler): void {
  const { setAccessProblemHandler } = useContext(LiveConnectionContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    setAccessProblemHandler((problem) => latest.current(problem));
    return () => setAccessProblemHandler(null);
  }, [setAccessProblemHandler]);
}

function preferredTransport(): Transport {
  const fromQuery = new URLSearchParams(window.location.search).get('transport');
  if (fromQuery === 'sse' || fromQuery === 'ws') return fromQuery;
  const stored = window.localStorage.getItem('linernotes.transport');
  if (stored === 'sse' || stored === 'ws') return stored;
  return process.env.NEXT_PUBLIC_TRANSPORT === 'sse' ? 'sse' : 'ws';
}

/** True only when the server answered that there is no session (a server that cannot be reached says nothing). */
async function sessionHasEnded(): Promise<boolean> {
  try {
    const { data, error } = await authClient.getSession();
    return !error && !data;
  } catch {
    return false;
  }
}

/**
 * The client used while the page is rendered on the server and hydrated, before the transport is
 * chosen: queries go over batched HTTP (same origin), and there are no subscriptions yet (live
 * streams wait for `ready`). On the server it is never called: the data there comes from the
 * server-side caller (./server.ts) through the hydrated query cache.
 */
function hydrationLinks(): TRPCLink<AppRouter>[] {
  const noSubscriptions: TRPCLink<AppRouter> = () => () =>
    observable((observer) => {
      observer.error(TRPCClientError.from(new Error('Live updates start once the page has loaded.')));
    });
  return [splitLink({ condition: (op) => op.type === 'subscription', true: noSubscriptions, false: httpBatchLink<AppRouter>({ url: '/api/trpc', maxURLLength: 4000 }) })];
}

/** The same problem reported again within this window (every stream fails at once) is one problem. */
const REPORT_WINDOW_MS = 3_000;

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const handler = useRef<AccessProblemHandler | null>(null);
  const lastReport = useRef<{ code: AccessProblem['code']; at: number } | null>(null);
  const reportAccessProblem = useCallback((problem: AccessProblem) => {
    const now = Date.now();
    if (lastReport.current?.code === problem.code && now - lastReport.current.at < REPORT_WINDOW_MS) return;
    lastReport.current = { code: problem.code, at: now };
    handler.current?.(problem);
  }, []);
  const setAccessProblemHandler = useCallback((next: AccessProblemHandler | null) => {
    handler.current = next;
  }, []);

  const [queryClient] = useState(() => {
    // A query or mutation refused for want of a session means the session is gone. FORBIDDEN
    // there is a refusal of one action (a role too low), which the caller shows itself.
    const onError = (error: unknown) => {
      const problem = accessProblemOf(error);
      if (problem?.code === 'UNAUTHORIZED') reportAccessProblem(problem);
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: (failures, error) => !accessProblemOf(error) && failures < 3 },
      },
    });
  });

  // Chosen after mount: the first client render must match the server's (the transport comes from
  // the URL and localStorage, which the server cannot see). Until then the page renders with the
  // data the server put in the query cache, over a client that has no live connection.
  const [transport, setTransport] = useState<Transport | null>(null);
  const [hydrationClient] = useState(() => api.createClient({ links: hydrationLinks() }));
  useEffect(() => setTransport(preferredTransport()), []);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<ConnectionState>('connecting');

  // One client per transport and generation, made during render so that the streams below
  // subscribe on the new one in the same commit; the one it replaces is closed after they left it.
  const live = useMemo(() => {
    if (!transport) return null;
    let current = true;
    const { links, close } = createLinks({
      baseUrl: window.location.origin,
      transport,
      lazy: true,
      onState: (next) => current && setState(next),
      onWebSocketUnavailable: () => {
        // A WebSocket refused on upgrade looks like one that cannot be used at all: find out which.
        void sessionHasEnded().then((ended) => {
          if (!current) return;
          if (ended) reportAccessProblem({ code: 'UNAUTHORIZED', message: 'Your session has ended: sign in again.' });
          else setTransport('sse');
        });
      },
    });
    return {
      client: api.createClient({ links }),
      close: () => {
        current = false;
        close();
      },
    };
    // `generation` is the reason to make a new client: its cookie may have changed.
  }, [transport, generation, reportAccessProblem]);
  useEffect(() => () => live?.close(), [live]);

  const reconnect = useCallback(async () => {
    setState('connecting');
    setGeneration((current) => current + 1);
    await queryClient.resetQueries();
  }, [queryClient]);

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

  // Neither transport tells a refused session apart from a server that is away (a refused
  // WebSocket upgrade and a 401 EventSource both just retry): while reconnecting, ask.
  useEffect(() => {
    if (shownState !== 'reconnecting' && shownState !== 'offline') return;
    let stopped = false;
    const probe = async () => {
      if ((await sessionHasEnded()) && !stopped) reportAccessProblem({ code: 'UNAUTHORIZED', message: 'Your session has ended: sign in again.' });
    };
    const first = setTimeout(probe, 1_500);
    const again = setInterval(probe, 5_000);
    return () => {
      stopped = true;
      clearTimeout(first);
      clearInterval(again);
    };
  }, [shownState, reportAccessProblem]);

  const ready = live !== null;
  const liveConnection = useMemo<LiveConnection>(
    () => ({ generation, ready, reconnect, reportAccessProblem, setAccessProblemHandler }),
    [generation, ready, reconnect, reportAccessProblem, setAccessProblemHandler],
  );

  return (
    <api.Provider client={live?.client ?? hydrationClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <LiveConnectionContext.Provider value={liveConnection}>
          <StreamStateContext.Provider value={reportStreamState}>
            <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>
          </StreamStateContext.Provider>
        </LiveConnectionContext.Provider>
      </QueryClientProvider>
    </api.Provider>
  );
}

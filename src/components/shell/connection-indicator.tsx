'use client';
/** live / reconnecting / offline, as the tRPC client's connection really is. */
import { useConnectionState } from '~/trpc/react';

const looks = {
  connecting: { dot: 'bg-zinc-400 animate-pulse', text: 'Connecting', ring: 'ring-zinc-300 text-zinc-700 bg-white' },
  live: { dot: 'bg-emerald-500', text: 'Live', ring: 'ring-emerald-300 text-emerald-800 bg-emerald-50' },
  reconnecting: { dot: 'bg-amber-500 animate-pulse', text: 'Reconnecting', ring: 'ring-amber-300 text-amber-900 bg-amber-50' },
  offline: { dot: 'bg-rose-500', text: 'Offline', ring: 'ring-rose-300 text-rose-800 bg-rose-50' },
} as const;

export function ConnectionIndicator() {
  const { state, transport } = useConnectionState();
  const look = looks[state];
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection-indicator"
      data-state={state}
      title={`Updates over ${transport === 'ws' ? 'WebSocket' : 'server-sent events'}`}
      className={`inline-flex items-center gap-2 rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${look.ring}`}
    >
      <span aria-hidden className={`size-2 rounded-full ${look.dot}`} />
      {look.text}
      <span className="sr-only"> connection over {transport === 'ws' ? 'WebSocket' : 'server-sent events'}</span>
      <span aria-hidden className="hidden font-normal opacity-60 sm:inline">· {transport.toUpperCase()}</span>
    </span>
  );
}

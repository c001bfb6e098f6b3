'use client';
/**
 * `useLiveStream`: one subscription, applied to local state. It hands the snapshot (or, after a
 * resync, the fresh snapshot) and then every event to the caller, in order and once each.
 *
 * Resume has two layers. The links themselves resend the last tracked id when a socket or an
 * EventSource reconnects, so the server replays what was missed. This hook adds what the links
 * cannot know: a `resync` message means local state is stale (apply the snapshot that follows,
 * or, for a slow consumer whose stream the server ended, subscribe again from the last id), and
 * durable ids already applied are skipped, so a replay that overlaps never shows a row twice.
 *
 * A page rendered on the server starts the stream where its data was read (`startFrom`, the
 * position the server took its snapshot or page at): the stream replays what happened since,
 * instead of sending a snapshot the page already has. Streams open only once the page has
 * hydrated and its transport is chosen (`ready`).
 *
 * When the live connection is replaced (signed in, switched workspace: see ./react.tsx), the
 * stream subscribes again on the new one without a last id: the old position belongs to what the
 * old connection could see, so local state is replaced by a fresh snapshot. A stream refused for
 * want of a session or of access is reported, and the app decides what the person sees.
 */
import type { TRPCConnectionState } from '@trpc/client/unstable-internals';
import { useEffect, useRef, useState } from 'react';
import { isDurable, type Envelope, type EventType } from '~/server/events/catalog';
import type { StreamMessage } from '~/server/events/stream';
import { accessProblemOf, useLiveConnection, useReportStreamState } from './react';

export interface TrackedMessage<T extends EventType, S> {
  id: string;
  data: StreamMessage<T, S>;
}

export interface StreamObserver<T extends EventType, S> {
  onData: (value: TrackedMessage<T, S>) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
  onConnectionStateChange: (state: TRPCConnectionState<unknown>) => void;
}

export type OpenStream<T extends EventType, S> = (
  lastEventId: string | null,
  observer: StreamObserver<T, S>,
) => { unsubscribe: () => void };

export interface LiveStreamHandlers<T extends EventType, S> {
  /** Replace local state: the first message of a fresh subscription, and after every resync. */
  onSnapshot: (snapshot: S) => void;
  /** New events, oldest first (a durable micro-batch arrives as one call). */
  onEvents: (events: Envelope<T>[]) => void;
}

export type LiveStreamStatus = 'connecting' | 'live' | 'reconnecting' | 'error';

/** `${epoch}:${seq}` -> its parts; ids from one stream compare by seq within one epoch. */
function positionOf(id: string): { epoch: string; seq: number } | null {
  const at = id.lastIndexOf(':');
  if (at < 0) return null;
  const seq = Number(id.slice(at + 1));
  return Number.isFinite(seq) ? { epoch: id.slice(0, at), seq } : null;
}

export interface LiveStreamOptions {
  /**
   * The position the caller's state was read at (a page rendered on the server): the first
   * subscription resumes from it. Used on the first live connection only: after the connection is
   * replaced (another workspace or account) the stream starts from a fresh snapshot.
   */
  startFrom?: string | null;
}

/**
 * Subscribes while mounted (and again when `key` changes or the live connection is replaced).
 * `open` and the handlers may change on every render; the latest ones are used.
 */
export function useLiveStream<T extends EventType, S>(
  key: string,
  open: OpenStream<T, S>,
  handlers: LiveStreamHandlers<T, S>,
  options: LiveStreamOptions = {},
): { status: LiveStreamStatus; lastEventId: string | null; error: string | null } {
  const [status, setStatus] = useState<LiveStreamStatus>('connecting');
  const [error, setError] = useState<string | null>(null);
  const [lastEventId, setLastEventId] = useState<string | null>(null);
  const latest = useRef({ open, handlers });
  latest.current = { open, handlers };
  const reportState = useReportStreamState();
  const { generation, ready, reportAccessProblem } = useLiveConnection();
  const [firstGeneration] = useState(generation);
  const startFrom = generation === firstGeneration ? (options.startFrom ?? null) : null;

  useEffect(() => {
    if (!ready) return;
    let stopped = false;
    let subscription: { unsubscribe: () => void } | null = null;
    let lastId: string | null = startFrom;
    // The newest durable position applied; anything at or before it is a duplicate.
    let applied: { epoch: string; seq: number } | null = startFrom ? positionOf(startFrom) : null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;

    const accept = (events: Envelope<T>[]): Envelope<T>[] =>
      events.filter((event) => {
        if (!isDurable(event.type)) return true;
        const position = positionOf(event.id);
        if (!position) return true;
        if (applied && applied.epoch === position.epoch && position.seq <= applied.seq) return false;
        applied = position;
        return true;
      });

    const connect = () => {
      if (stopped) return;
      subscription = latest.current.open(lastId, {
        onData: ({ id, data }) => {
          failures = 0;
          lastId = id;
          setLastEventId(id);
          setStatus('live');
          setError(null);
          if (data.kind === 'snapshot') {
            applied = positionOf(id);
            latest.current.handlers.onSnapshot(data.snapshot);
          } else if (data.kind === 'resync') {
            // The server says our position is gone (another epoch, expired) or that we fell
            // behind; forget what was applied so the snapshot or replay that follows is taken whole.
            applied = null;
            if (data.reason !== 'slow_consumer') lastId = null;
          } else {
            const fresh = accept(data.kind === 'event' ? [data.event] : data.events);
            if (fresh.length > 0) latest.current.handlers.onEvents(fresh);
          }
        },
        onError: (cause) => {
          const problem = accessProblemOf(cause);
          if (problem) reportAccessProblem(problem);
          // A failed subscription (bad input, server error) does not heal by itself: try again
          // from the last id with a growing pause, and say so.
          setStatus('error');
          setError(cause instanceof Error ? cause.message : String(cause));
          reportState(key, 'reconnecting');
          scheduleReconnect();
        },
        onComplete: () => {
          // The server ends a stream on purpose only to make a slow client resume from its id.
          scheduleReconnect();
        },
        onConnectionStateChange: (state) => {
          if (state.state === 'connecting' && state.error) {
            setStatus('reconnecting');
            reportState(key, 'reconnecting');
          } else if (state.state === 'pending') {
            setStatus('live');
            reportState(key, 'live');
          }
        },
      });
    };

    const scheduleReconnect = () => {
      if (stopped) return;
      subscription?.unsubscribe();
      subscription = null;
      const delay = Math.min(30_000, 500 * 2 ** failures++) * (0.5 + Math.random() * 0.5);
      retryTimer = setTimeout(connect, delay);
    };

    connect();
    return () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      subscription?.unsubscribe();
      reportState(key, null);
    };
  }, [key, reportState, generation, ready, startFrom, reportAccessProblem]);

  return { status, lastEventId, error };
}

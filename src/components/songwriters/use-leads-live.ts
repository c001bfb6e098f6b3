'use client';
/**
 * The `leads` stream for a page (all songwriters, or one with `songwriterId`), started from the
 * position the server read the page at. Pages re-read what an event touched rather than patching
 * rows from event data (the board is the exception: a card's move is applied from the event at
 * once). `useThrottledRead` spaces the re-reads: the first one after a quiet spell goes at once,
 * then at most one per 250 ms, and a burst of events in between is one read.
 *
 * A snapshot (a stream opened without a position, or a resync after the position was lost) means
 * events may have been missed: `onSnapshot` re-reads everything shown.
 */
import { useCallback, useEffect, useRef } from 'react';
import type { Envelope } from '~/server/events/catalog';
import { api } from '~/trpc/react';
import { useLiveStream } from '~/trpc/use-live-stream';

export type LeadsEventType = 'songwriter_score_changed' | 'songwriter_merged' | 'contact_changed' | 'contact_noted';
export type LeadsEvent = Envelope<LeadsEventType>;

export const REREAD_MS = 250;

export interface LeadsLiveOptions {
  streamKey: string;
  songwriterId?: string;
  startFrom: string | null;
  onEvents: (events: LeadsEvent[]) => void;
  onSnapshot: () => void;
}

export function useLeadsLive({ streamKey, songwriterId, startFrom, onEvents, onSnapshot }: LeadsLiveOptions) {
  const utils = api.useUtils();
  return useLiveStream<LeadsEventType, { position: string | null }>(
    streamKey,
    (lastEventId, observer) => utils.client.leads.subscribe(songwriterId ? { songwriterId, lastEventId } : { lastEventId }, observer),
    { onSnapshot: () => onSnapshot(), onEvents },
    { startFrom },
  );
}

/** `schedule()` runs `read` soon: at once after a quiet spell, else 250 ms after the previous read; calls in between coalesce. */
export function useThrottledRead(read: () => void, intervalMs = REREAD_MS): () => void {
  const latest = useRef(read);
  latest.current = read;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRead = useRef(0);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, lastRead.current + intervalMs - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      lastRead.current = Date.now();
      latest.current();
    }, wait);
  }, [intervalMs]);
}

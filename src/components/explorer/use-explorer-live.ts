'use client';
/**
 * The explorer, live: the trackExplorer stream for the current filter, started from the position
 * the first page was read at (so no change falls between the page and the stream). Each burst of
 * events collects the tracks it touched; those are read again through the same filter and sort
 * (tracks.explore with trackIds), at most one read per 250 ms, and handed to `onReread`: an id
 * missing from the answer no longer matches. The count is read again after each re-read.
 *
 * A snapshot (a stream opened without a position, or a resync after one was lost) means events may
 * have been missed: every loaded row is read again.
 */
import { useEffect, useRef } from 'react';
import { api } from '~/trpc/react';
import { useLiveStream } from '~/trpc/use-live-stream';
import { touchedTrackIds, type ExplorerEventType } from './explorer-events';
import type { ExplorerFilter, ExplorerSort } from './explorer-query';
import type { ExplorerRow } from './explorer-rows';

const REREAD_MS = 250;
const IDS_PER_READ = 500;

export interface ExplorerLiveOptions {
  streamKey: string;
  filter: ExplorerFilter;
  sort: ExplorerSort;
  startFrom: string | null;
  loadedIds: () => string[];
  taggedIds: (tagId: string) => string[];
  onReread: (requested: string[], rows: ExplorerRow[]) => void;
}

export function useExplorerLive(options: ExplorerLiveOptions) {
  const utils = api.useUtils();
  const latest = useRef(options);
  latest.current = options;
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reading = useRef(false);
  const lastRead = useRef(0);
  const stopped = useRef(false);
  useEffect(() => {
    stopped.current = false;
    return () => {
      stopped.current = true;
      if (timer.current) clearTimeout(timer.current);
    };
  }, []);

  const schedule = () => {
    if (timer.current || reading.current || pending.current.size === 0) return;
    const wait = Math.max(0, lastRead.current + REREAD_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      void read();
    }, wait);
  };

  const read = async () => {
    if (stopped.current) return;
    reading.current = true;
    lastRead.current = Date.now();
    const ids = [...pending.current];
    pending.current = new Set();
    const { filter, sort } = latest.current;
    try {
      for (let at = 0; at < ids.length; at += IDS_PER_READ) {
        const chunk = ids.slice(at, at + IDS_PER_READ);
        const answer = await utils.client.tracks.explore.query({ filter, sort, trackIds: chunk, limit: IDS_PER_READ });
        if (stopped.current) return;
        latest.current.onReread(chunk, answer.rows);
      }
      void utils.tracks.exploreCount.invalidate({ filter });
    } catch {
      // Read them again with the next burst (or the next snapshot after a reconnect).
      for (const id of ids) pending.current.add(id);
    } finally {
      reading.current = false;
      schedule();
    }
  };

  return useLiveStream<ExplorerEventType, { position: string | null }>(
    options.streamKey,
    (lastEventId, observer) => utils.client.trackExplorer.subscribe({ filter: latest.current.filter, lastEventId }, observer),
    {
      onSnapshot: () => {
        for (const id of latest.current.loadedIds()) pending.current.add(id);
        void utils.tracks.exploreCount.invalidate({ filter: latest.current.filter });
        schedule();
      },
      onEvents: (events) => {
        for (const event of events) {
          if (event.type === 'tag_changed') void utils.tags.list.invalidate();
          if (event.type === 'track_tags_changed') void utils.tags.list.invalidate();
          if (event.type === 'saved_view_changed') void utils.views.list.invalidate();
          for (const id of touchedTrackIds(event, latest.current.taggedIds)) pending.current.add(id);
        }
        schedule();
      },
    },
    { startFrom: options.startFrom },
  );
}

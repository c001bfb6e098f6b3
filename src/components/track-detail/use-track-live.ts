'use client';
/**
 * Keeps a track's detail current: the trackExplorer stream, narrowed here to this track, and a
 * fresh read of tracks.detail (at most one per 250 ms) whenever an event touches it. The tags
 * list is read again when a tag changes. Started from `startFrom` when the page read the detail
 * on the server after taking that position; otherwise the stream's first snapshot triggers one
 * read, which closes the gap between the first read and the subscription.
 */
import { useEffect, useRef } from 'react';
import { api } from '~/trpc/react';
import { useLiveStream } from '~/trpc/use-live-stream';
import { touchedTrackIds, type ExplorerEventType } from '../explorer/explorer-events';

const REREAD_MS = 250;

export function useTrackLive(trackId: string, tagIds: readonly string[], startFrom: string | null = null) {
  const utils = api.useUtils();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastRead = useRef(0);
  const tagIdsRef = useRef(tagIds);
  tagIdsRef.current = tagIds;

  const reread = () => {
    if (timer.current) return;
    const wait = Math.max(0, lastRead.current + REREAD_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      lastRead.current = Date.now();
      void utils.tracks.detail.invalidate({ id: trackId });
    }, wait);
  };
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  return useLiveStream<ExplorerEventType, { position: string | null }>(
    `track:${trackId}`,
    (lastEventId, observer) => utils.client.trackExplorer.subscribe({ lastEventId }, observer),
    {
      onSnapshot: () => reread(),
      onEvents: (events) => {
        let touched = false;
        for (const event of events) {
          if (event.type === 'tag_changed') void utils.tags.list.invalidate();
          const ids = touchedTrackIds(event, (tagId) => (tagIdsRef.current.includes(tagId) ? [trackId] : []));
          if (ids.includes(trackId)) touched = true;
        }
        if (touched) reread();
      },
    },
    { startFrom },
  );
}

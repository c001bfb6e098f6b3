'use client';
/**
 * The track side panel, for every grid: `openTrack(id)` shows the track's detail beside the page
 * (the grid stays usable, and another track name replaces the panel's track); Escape or Close
 * puts focus back where it was. The same detail has its own page, /tracks/[id].
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { TrackDetailPanel } from './track-detail-panel';

interface TrackPanel {
  openTrack: (trackId: string) => void;
  closeTrack: () => void;
  openTrackId: string | null;
}

const TrackPanelContext = createContext<TrackPanel | null>(null);

/** Null outside the app's frame (then a track name is a plain link to its page). */
export function useTrackPanel(): TrackPanel | null {
  return useContext(TrackPanelContext);
}

export function TrackPanelProvider({ children }: { children: ReactNode }) {
  const [trackId, setTrackId] = useState<string | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const openTrack = useCallback((id: string) => {
    if (document.activeElement instanceof HTMLElement && !document.activeElement.closest('[data-track-panel]')) opener.current = document.activeElement;
    setTrackId(id);
  }, []);
  const closeTrack = useCallback(() => {
    setTrackId(null);
    opener.current?.focus();
    opener.current = null;
  }, []);
  const value = useMemo(() => ({ openTrack, closeTrack, openTrackId: trackId }), [openTrack, closeTrack, trackId]);
  return (
    <TrackPanelContext.Provider value={value}>
      {children}
      {trackId ? <TrackDetailPanel trackId={trackId} onClose={closeTrack} /> : null}
    </TrackPanelContext.Provider>
  );
}

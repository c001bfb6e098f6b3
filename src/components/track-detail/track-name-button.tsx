'use client';
/**
 * A track's name as a link to its page; a plain click opens the side panel instead (a click with
 * a modifier, or a middle click, still opens the page in a new tab).
 */
import type { MouseEvent } from 'react';
import { useTrackPanel } from './track-panel-provider';

export function TrackNameButton({ trackId, name, className = '' }: { trackId: string; name: string; className?: string }) {
  const panel = useTrackPanel();
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (!panel || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    panel.openTrack(trackId);
  };
  return (
    <a
      href={`/tracks/${trackId}`}
      onClick={open}
      data-testid="track-name"
      aria-haspopup="dialog"
      title={`Show ${name}`}
      className={`rounded font-medium text-zinc-900 hover:text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 ${className}`}
    >
      {name}
    </a>
  );
}

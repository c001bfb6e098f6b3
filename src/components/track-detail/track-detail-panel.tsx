'use client';
/**
 * The side panel that shows one track's detail over the right edge of the page. Not modal: the
 * grid behind it stays usable. Focus moves into it when it opens; Escape closes it.
 */
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { TrackDetail } from './track-detail';

export function TrackDetailPanel({ trackId, onClose }: { trackId: string; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [trackId]);
  // Escape closes it wherever focus is (a button that disabled itself leaves focus on the page),
  // unless something in front of it (a modal dialog, an open menu) takes the key first.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div
      ref={ref}
      role="dialog"
      aria-modal="false"
      aria-label="Track detail"
      tabIndex={-1}
      data-track-panel
      data-testid="track-panel"
      data-track-id={trackId}
      className="fixed inset-y-0 right-0 z-40 flex w-full max-w-xl flex-col border-l border-zinc-200 bg-white shadow-2xl focus:outline-none"
    >
      <div className="flex items-center justify-between gap-2 border-b border-zinc-100 px-4 py-2">
        <Link href={`/tracks/${trackId}`} onClick={onClose} className="rounded text-sm text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600">
          Open as a page
        </Link>
        <button type="button" onClick={onClose} aria-label="Close track detail" className="grid size-8 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
          <span aria-hidden>×</span>
        </button>
      </div>
      <div className="flex-1 overflow-y-auto p-4">
        <TrackDetail trackId={trackId} headingLevel="h2" />
      </div>
    </div>
  );
}

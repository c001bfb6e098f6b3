/** What happened to a track, newest first: enrichment, re-enrich requests, notes, tagging, playlist membership. */
import { LocalTime } from '../ui/local-time';
import type { DetailHistoryItem } from './track-detail-types';

const kindLooks: Record<string, { dot: string; label: string }> = {
  enriched: { dot: 'bg-emerald-500', label: 'Enriched' },
  failed: { dot: 'bg-rose-500', label: 'Failed' },
  reenrich_requested: { dot: 'bg-sky-500', label: 'Re-enrich requested' },
  note: { dot: 'bg-amber-500', label: 'Note' },
  tagged: { dot: 'bg-indigo-500', label: 'Tagged' },
  untagged: { dot: 'bg-zinc-400', label: 'Untagged' },
  added: { dot: 'bg-emerald-400', label: 'Added' },
  dropped: { dot: 'bg-rose-400', label: 'Dropped' },
};

export function TrackHistoryList({ items }: { items: readonly DetailHistoryItem[] }) {
  if (items.length === 0) return <p className="text-sm text-zinc-400">Nothing recorded yet.</p>;
  return (
    <ol className="space-y-2" data-testid="track-history">
      {items.map((item) => {
        const look = kindLooks[item.kind] ?? { dot: 'bg-zinc-400', label: item.kind };
        const by = (item as { byName?: string | null }).byName;
        return (
          <li key={item.id} data-testid="history-item" data-kind={item.kind} className="flex gap-2 text-sm">
            <span aria-hidden className={`mt-1.5 size-2 shrink-0 rounded-full ${look.dot}`} />
            <div className="min-w-0">
              <p className="break-words text-zinc-800">
                {/* The message names what happened; the dot's colour and the hidden label say its kind. */}
                <span className={item.message ? 'sr-only' : 'font-medium'}>{look.label}{item.message ? ': ' : ''}</span>
                {item.message}
              </p>
              <p className="text-xs text-zinc-500">
                <LocalTime iso={item.at} />
                {by ? ` · ${by}` : ''}
              </p>
            </div>
          </li>
        );
      })}
    </ol>
  );
}

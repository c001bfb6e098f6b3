/** A track's catalog fields and credits, as a description list. */
import { SongwriterLinks } from '../songwriters/songwriter-links';
import { StatusBadge } from '../ui/status-badge';
import { LocalTime } from '../ui/local-time';
import { formatCount } from '../ui/number-format';
import type { DetailTrack } from './track-detail-types';

function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function Field({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="truncate text-sm text-zinc-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

const names = (list: readonly string[] | null | undefined) => (list && list.length > 0 ? list.join(', ') : '—');

export function TrackFields({ track }: { track: DetailTrack }) {
  return (
    <section aria-label="Catalog data" className="space-y-3">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-3">
        <Field label="Status">
          <StatusBadge status={track.enrichmentStatus} title={track.enrichmentError ?? undefined} testId="detail-status" />
        </Field>
        <Field label="ISRC" testId="detail-isrc">
          <span className="font-mono text-xs">{track.isrc ?? '—'}</span>
        </Field>
        <Field label="Label" testId="detail-label">{track.label || '—'}</Field>
        <Field label="Release date">{track.releaseDate ? <LocalTime iso={track.releaseDate} format="date" /> : '—'}</Field>
        <Field label="Duration">{duration(track.durationMs)}</Field>
        <Field label="Explicit">{track.explicit == null ? '—' : track.explicit ? 'yes' : 'no'}</Field>
        <Field label="Popularity">{track.popularity ?? '—'}</Field>
        <Field label="Streams">{formatCount(track.streams)}</Field>
        <Field label="Playlist reach">{formatCount(track.playlistReach)}</Field>
        <Field label="First seen"><LocalTime iso={track.firstSeenAt} /></Field>
        <Field label="Enriched"><LocalTime iso={track.enrichedAt} /></Field>
        <Field label="Spotify id">
          <span className="font-mono text-xs">{track.spotifyId}</span>
        </Field>
      </dl>
      {track.enrichmentStatus === 'failed' && track.enrichmentError ? <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">{track.enrichmentError}</p> : null}
      <dl className="grid gap-3 sm:grid-cols-2">
        <Field label="Songwriters" testId="detail-songwriters">
          <span className="whitespace-normal">
            <SongwriterLinks names={track.songwriters} />
          </span>
        </Field>
        <Field label="Producers">
          <span className="whitespace-normal">{names(track.producers)}</span>
        </Field>
      </dl>
    </section>
  );
}

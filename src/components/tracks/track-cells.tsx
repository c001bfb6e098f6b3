'use client';
/** Cells that the playlist's tracks grid and the tracks explorer draw alike. */
import { TrackNameButton } from '../track-detail/track-name-button';
import { formatCount } from '../ui/number-format';

/** The track's name (opens its side panel) over its artist. */
export function TrackNameCell({ track }: { track: { id: string; name: string; artist: string } }) {
  return (
    <div className="min-w-0">
      <p className="truncate">
        <TrackNameButton trackId={track.id} name={track.name} />
      </p>
      <p className="truncate text-xs text-zinc-500">{track.artist}</p>
    </div>
  );
}

export function PopularityCell({ popularity }: { popularity: number | null | undefined }) {
  return <span className="tabular-nums">{popularity ?? '—'}</span>;
}

export function StreamsCell({ streams }: { streams: number | null | undefined }) {
  return <span className="tabular-nums">{formatCount(streams)}</span>;
}

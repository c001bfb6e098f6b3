'use client';
/** The tracks grid's columns: what each shows, how it sorts and how wide it is. */
import { createSortedRowModel, rowSortingFeature, sortFn_alphanumeric, sortFn_basic, tableFeatures, type ColumnDef } from '@tanstack/react-table';
import type { TrackRow } from '../live/tracks-state';
import { StatusBadge } from '../ui/status-badge';
import { ReenrichButton } from './reenrich-button';
import { PopularityCell, StreamsCell, TrackNameCell } from './track-cells';

export const trackGridFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic },
});

export type TrackColumn = ColumnDef<typeof trackGridFeatures, TrackRow>;

const statusOrder = { failed: 0, enriching: 1, pending: 2, completed: 3 } as const;

/** CSS grid track per column, in column order (the grid is divs so rows can be virtualised). */
export const trackGridTemplate = '2.5rem minmax(11rem,2fr) 8.5rem 8rem minmax(5rem,1fr) 3.5rem 4.5rem minmax(6rem,1fr) 5.5rem';

export const trackColumns: TrackColumn[] = [
  { id: 'position', header: '#', accessorFn: (track) => track.position ?? 0, sortFn: 'basic', cell: (info) => <span className="text-zinc-400 tabular-nums">{(info.getValue() as number) + 1}</span> },
  {
    id: 'name',
    header: 'Track',
    accessorFn: (track) => track.name,
    sortFn: 'alphanumeric',
    cell: (info) => <TrackNameCell track={info.row.original} />,
  },
  {
    id: 'status',
    header: 'Status',
    accessorFn: (track) => statusOrder[track.enrichmentStatus],
    sortFn: 'basic',
    cell: (info) => {
      const track = info.row.original;
      return (
        <div className="min-w-0">
          <StatusBadge status={track.enrichmentStatus} title={track.enrichmentError ?? undefined} testId="track-status" />
          {track.enrichmentStatus === 'failed' && track.enrichmentError ? <p className="mt-0.5 truncate text-xs text-rose-700" title={track.enrichmentError}>{track.enrichmentError}</p> : null}
        </div>
      );
    },
  },
  { id: 'isrc', header: 'ISRC', accessorFn: (track) => track.isrc ?? '', sortFn: 'alphanumeric', cell: (info) => <span className="font-mono text-xs" data-testid="track-isrc">{info.row.original.isrc ?? '—'}</span> },
  { id: 'label', header: 'Label', accessorFn: (track) => track.label ?? '', sortFn: 'alphanumeric', cell: (info) => <span className="truncate">{info.row.original.label ?? '—'}</span> },
  { id: 'popularity', header: 'Pop.', accessorFn: (track) => track.popularity ?? -1, sortFn: 'basic', cell: (info) => <PopularityCell popularity={info.row.original.popularity} /> },
  { id: 'streams', header: 'Streams', accessorFn: (track) => track.streams ?? -1, sortFn: 'basic', cell: (info) => <StreamsCell streams={info.row.original.streams} /> },
  {
    id: 'credits',
    header: 'Credits',
    accessorFn: (track) => (track.songwriters ?? []).join(', '),
    sortFn: 'alphanumeric',
    cell: (info) => {
      const names = [...(info.row.original.songwriters ?? []), ...(info.row.original.producers ?? [])];
      return <span className="truncate text-xs text-zinc-600" title={names.join(', ')}>{names.length ? names.join(', ') : '—'}</span>;
    },
  },
  { id: 'actions', header: () => <span className="sr-only">Actions</span>, enableSorting: false, cell: (info) => <ReenrichButton track={info.row.original} /> },
];

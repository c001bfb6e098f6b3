'use client';
/**
 * The explorer grid's columns: what each cell shows, which server-side sort a header asks for,
 * and each column's width. The grid is divs (rows are virtualised), so widths are one CSS grid.
 */
import { tableFeatures, type ColumnDef } from '@tanstack/react-table';
import { TagChip } from '../tags/tag-chip';
import { PublisherStatusBadge } from '../track-detail/track-rights';
import { PopularityCell, StreamsCell, TrackNameCell } from '../tracks/track-cells';
import { LocalTime } from '../ui/local-time';
import { StatusBadge } from '../ui/status-badge';
import type { SortField } from './explorer-query';
import type { ExplorerRow } from './explorer-rows';

/** Sorting is the server's (keyset pages in that order): no client row models. */
export const explorerFeatures = tableFeatures({});

export type ExplorerColumn = ColumnDef<typeof explorerFeatures, ExplorerRow>;

export const explorerGridTemplate =
  '2.75rem minmax(13rem,2fr) 6.5rem minmax(8rem,1fr) 8.5rem minmax(7rem,1fr) 3.5rem 5rem 6.5rem 7.5rem 6.5rem minmax(7rem,1fr)';

/** Which sort each sortable column asks for, and the direction a first click picks. */
export const sortOfColumn: Record<string, { field: SortField; firstDir: 'asc' | 'desc' }> = {
  name: { field: 'name', firstDir: 'asc' },
  label: { field: 'label', firstDir: 'asc' },
  popularity: { field: 'popularity', firstDir: 'desc' },
  streams: { field: 'streams', firstDir: 'desc' },
  releaseDate: { field: 'releaseDate', firstDir: 'desc' },
  firstSeenAt: { field: 'firstSeenAt', firstDir: 'desc' },
};

export const explorerColumns: ExplorerColumn[] = [
  // The selection checkbox is drawn by the grid itself (it needs the row's selection state and shift-click).
  { id: 'select', header: 'Select' },
  {
    id: 'name',
    header: 'Track',
    cell: (info) => <TrackNameCell track={info.row.original} />,
  },
  {
    id: 'status',
    header: 'Status',
    cell: (info) => <StatusBadge status={info.row.original.enrichmentStatus} title={info.row.original.enrichmentError ?? undefined} testId="explorer-status" />,
  },
  {
    id: 'tags',
    header: 'Tags',
    cell: (info) => (
      <div className="flex min-w-0 gap-1 overflow-hidden" data-testid="explorer-tags">
        {info.row.original.tags.map((tag) => (
          <TagChip key={tag.id} tag={tag} />
        ))}
      </div>
    ),
  },
  { id: 'isrc', header: 'ISRC', cell: (info) => <span className="font-mono text-xs">{info.row.original.isrc ?? '—'}</span> },
  { id: 'label', header: 'Label', cell: (info) => <span className="truncate" title={info.row.original.label ?? undefined}>{info.row.original.label || '—'}</span> },
  { id: 'popularity', header: 'Pop.', cell: (info) => <PopularityCell popularity={info.row.original.popularity} /> },
  { id: 'streams', header: 'Streams', cell: (info) => <StreamsCell streams={info.row.original.streams} /> },
  { id: 'releaseDate', header: 'Released', cell: (info) => <span className="text-xs tabular-nums">{info.row.original.releaseDate || '—'}</span> },
  { id: 'firstSeenAt', header: 'First seen', cell: (info) => <LocalTime iso={info.row.original.firstSeenAt} format="date" className="text-xs" /> },
  { id: 'publisherStatus', header: 'Publisher', cell: (info) => <PublisherStatusBadge status={info.row.original.publisherStatus} /> },
  {
    id: 'playlists',
    header: 'Playlists',
    cell: (info) => {
      const names = info.row.original.playlists.map((playlist) => playlist.name);
      return (
        <span className="truncate text-xs text-zinc-600" title={names.join(', ')}>
          {names.length === 0 ? '—' : names.length === 1 ? names[0] : `${names.length} playlists`}
        </span>
      );
    },
  },
];

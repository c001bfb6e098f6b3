'use client';
/**
 * A playlist's tracks: sortable, filterable by status and text, virtualised so thousands of rows
 * scroll smoothly, and live: status badges and enriched fields change as trackStatus reports.
 * Rendered on the server from the snapshot the page read (`initial`); the stream resumes from it.
 * When the playlist's membership changes (a refresh added or dropped tracks), the list is read again.
 */
import { useTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveStart } from '~/trpc/live-start';
import { api } from '~/trpc/react';
import { useLiveStream } from '~/trpc/use-live-stream';
import { useLiveData } from '../live/live-data-provider';
import { SortableColumnHeader } from '../ui/sortable-column-header';
import { applyTrackEvents, tracksFromSnapshot, type TrackEventType, type TracksSnapshot, type TracksState, type TrackStatus } from '../live/tracks-state';
import { trackColumns, trackGridFeatures, trackGridTemplate } from './track-columns';

const ROW_HEIGHT = 52;
const statuses: TrackStatus[] = ['pending', 'enriching', 'completed', 'failed'];

/** Rows the server renders before the browser measures the grid (its max height, 32rem, at 52 px a row). */
const SERVER_RECT = { width: 1100, height: 512 };

export function TracksGrid({ playlistId, expectedCount, initial = null }: { playlistId: string; expectedCount: number; initial?: LiveStart<TracksSnapshot> | null }) {
  const utils = api.useUtils();
  const [tracks, setTracks] = useState<TracksState>(() => (initial ? tracksFromSnapshot(initial.snapshot.tracks) : new Map()));
  const [loaded, setLoaded] = useState(initial !== null);
  const [statusFilter, setStatusFilter] = useState<TrackStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'position', desc: false }]);
  const refetching = useRef(false);

  // Tracks can join the playlist after the snapshot (its first fetch adds them): read the list
  // again, keeping any live status already applied.
  const refetch = async () => {
    if (refetching.current) return;
    refetching.current = true;
    try {
      const fresh = await utils.tracks.list.fetch({ playlistId, limit: 10_000 });
      setTracks((current) =>
        new Map(
          fresh.map((track) => {
            const live = current.get(track.id);
            return [track.id, live && live.updatedAt > track.updatedAt ? live : track];
          }),
        ),
      );
    } finally {
      refetching.current = false;
    }
  };

  const stream = useLiveStream<TrackEventType, TracksSnapshot>(
    `tracks:${playlistId}`,
    (lastEventId, observer) => utils.client.trackStatus.subscribe({ playlistId, lastEventId }, observer),
    {
      onSnapshot: (snapshot) => {
        setTracks(tracksFromSnapshot(snapshot.tracks));
        setLoaded(true);
      },
      onEvents: (events) => {
        let unknown = false;
        setTracks((current) => {
          unknown = events.some((event) => !current.has(event.data.trackId));
          return applyTrackEvents(current, events);
        });
        if (unknown) void refetch();
      },
    },
    { startFrom: initial?.position },
  );

  const membershipChange = useLiveData().membershipChanges.get(playlistId);
  useEffect(() => {
    if (membershipChange) void refetch();
    // A new membership change is the reason to read again; `refetch` is a fresh closure every render.
  }, [membershipChange]);

  useEffect(() => {
    if (loaded && expectedCount > tracks.size) {
      const timer = setTimeout(() => void refetch(), 300);
      return () => clearTimeout(timer);
    }
    // Only the counts decide whether to read again; `refetch` is a fresh closure every render.
  }, [loaded, expectedCount, tracks.size]);

  const all = useMemo(() => [...tracks.values()], [tracks]);
  const counts = useMemo(() => {
    const byStatus: Record<TrackStatus, number> = { pending: 0, enriching: 0, completed: 0, failed: 0 };
    for (const track of all) byStatus[track.enrichmentStatus]++;
    return byStatus;
  }, [all]);
  const data = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    return all.filter(
      (track) =>
        (statusFilter === 'all' || track.enrichmentStatus === statusFilter) &&
        (!needle || `${track.name} ${track.artist} ${track.isrc ?? ''} ${track.label ?? ''}`.toLowerCase().includes(needle)),
    );
  }, [all, statusFilter, deferredSearch]);

  const table = useTable(
    {
      features: trackGridFeatures,
      columns: trackColumns,
      data,
      getRowId: (track) => track.id,
      state: { sorting },
      onSortingChange: setSorting,
    },
    (state) => ({ sorting: state.sorting }),
  );
  const rows = table.getRowModel().rows;

  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12, initialRect: SERVER_RECT });

  return (
    <section aria-labelledby="tracks-title" className="rounded-xl border border-zinc-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-center gap-3 border-b border-zinc-100 px-4 py-3">
        <h2 id="tracks-title" className="text-sm font-semibold text-zinc-900">
          Tracks <span className="font-normal text-zinc-500">({data.length === all.length ? all.length : `${data.length} of ${all.length}`})</span>
        </h2>
        {stream.status === 'reconnecting' ? <span className="text-xs text-amber-700">reconnecting…</span> : null}
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <label className="sr-only" htmlFor="track-search">Search tracks</label>
          <input
            id="track-search"
            type="search"
            placeholder="Search tracks"
            title="Matches name, artist, ISRC or label"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            className="w-56 rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          />
          <label className="sr-only" htmlFor="track-status-filter">Filter by status</label>
          <select
            id="track-status-filter"
            value={statusFilter}
            onChange={(event) => setStatusFilter(event.target.value as TrackStatus | 'all')}
            className="rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
          >
            <option value="all">All statuses ({all.length})</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {status} ({counts[status]})
              </option>
            ))}
          </select>
        </div>
      </header>
      <div
        ref={scroller}
        role="table"
        aria-label="Tracks"
        aria-rowcount={rows.length + 1}
        data-testid="tracks-grid"
        className="relative max-h-[32rem] overflow-auto"
        tabIndex={0}
      >
        <div className="min-w-[880px]">
          <div role="rowgroup" className="sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50">
            {table.getHeaderGroups().map((group) => (
              <div role="row" key={group.id} className="grid" style={{ gridTemplateColumns: trackGridTemplate }}>
                {group.headers.map((header) => (
                  <SortableColumnHeader key={header.id} sorted={header.column.getIsSorted()} onSort={header.column.getCanSort() ? header.column.getToggleSortingHandler() : undefined}>
                    <table.FlexRender header={header} />
                  </SortableColumnHeader>
                ))}
              </div>
            ))}
          </div>
          <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div
                  role="row"
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  data-testid="track-row"
                  data-track-id={row.id}
                  data-status={row.original.enrichmentStatus}
                  className="absolute inset-x-0 grid items-center border-b border-zinc-100 text-sm hover:bg-zinc-50"
                  style={{ gridTemplateColumns: trackGridTemplate, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                >
                  {row.getAllCells().map((cell) => (
                    <div role="cell" key={cell.id} className="min-w-0 truncate px-3">
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
          {!loaded ? <p className="px-4 py-6 text-sm text-zinc-500">Loading tracks…</p> : rows.length === 0 ? <p className="px-4 py-6 text-sm text-zinc-500">{all.length === 0 ? 'No tracks yet: they appear once the playlist is fetched.' : 'No track matches.'}</p> : null}
        </div>
      </div>
    </section>
  );
}

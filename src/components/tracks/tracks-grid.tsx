'use client';
/**
 * A playlist's tracks: sortable, filterable by status and text, virtualised so thousands of rows
 * scroll smoothly, and live: status badges and enriched fields change as trackStatus reports.
 */
import { useTable, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '~/trpc/react';
import { useLiveStream } from '~/trpc/use-live-stream';
import { applyTrackEvents, tracksFromSnapshot, type TrackEventType, type TrackRow, type TracksState, type TrackStatus } from '../live/tracks-state';
import { trackColumns, trackGridFeatures, trackGridTemplate } from './track-columns';

const ROW_HEIGHT = 52;
const statuses: TrackStatus[] = ['pending', 'enriching', 'completed', 'failed'];

export function TracksGrid({ playlistId, expectedCount }: { playlistId: string; expectedCount: number }) {
  const utils = api.useUtils();
  const [tracks, setTracks] = useState<TracksState>(() => new Map());
  const [loaded, setLoaded] = useState(false);
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

  const stream = useLiveStream<TrackEventType, { tracks: TrackRow[] }>(
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
  );

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
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });

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
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  return (
                    <div
                      role="columnheader"
                      key={header.id}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                      className="px-3 py-2 text-xs font-medium text-zinc-500 uppercase"
                    >
                      {canSort ? (
                        <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 rounded uppercase hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
                          <table.FlexRender header={header} />
                          <span aria-hidden className="text-[10px]">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </div>
                  );
                })}
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

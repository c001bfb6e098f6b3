'use client';
/**
 * The rows of one filter and sort: the first page as the server rendered it, further pages by
 * keyset as the reader scrolls, the count, the selection and its batch actions, all live (see
 * explorer-rows.ts for what a change does to a row, and use-explorer-live.ts for how changes
 * arrive). Mounted once per filter and sort: a new filter starts clean (marks and selection go).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '~/trpc/react';
import { formatCount } from '../ui/number-format';
import { BatchActions } from './batch-actions';
import { ExplorerGrid } from './explorer-grid';
import { EXPLORER_PAGE, type ExplorerQuery, type ExplorerSort } from './explorer-query';
import { appendPage, applyReread, expireHighlights, loadedFromPage, type ExplorerRow, type LoadedRows } from './explorer-rows';
import { SortSelect } from './sort-select';
import { emptySelection, toggleAll, toggleRow, type Selection } from './row-selection';
import { useExplorerLive } from './use-explorer-live';

const HIGHLIGHT_MS = 4_000;

export interface ExplorerFirstPage {
  rows: ExplorerRow[];
  nextCursor: string | null;
  position: string | null;
}

export function ExplorerResults({ query, queryString, initial, initialCount, onSort }: { query: ExplorerQuery; queryString: string; initial: ExplorerFirstPage | null; initialCount: number | null; onSort: (sort: ExplorerSort) => void }) {
  const utils = api.useUtils();
  const { filter, sort } = query;
  const [state, setState] = useState<LoadedRows | null>(() => (initial ? loadedFromPage(initial) : null));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const count = api.tracks.exploreCount.useQuery({ filter }, initialCount === null ? {} : { initialData: { count: initialCount } });
  const stateRef = useRef(state);
  stateRef.current = state;

  // Without a server-rendered page (the server could not read it), the browser reads the first one.
  const [position, setPosition] = useState<string | null>(initial?.position ?? null);
  useEffect(() => {
    if (initial) return;
    let current = true;
    utils.client.tracks.explore
      .query({ filter, sort, limit: EXPLORER_PAGE })
      .then((page) => {
        if (!current) return;
        setState(loadedFromPage(page));
        setPosition(page.position);
      })
      .catch((error: unknown) => current && setLoadError(error instanceof Error ? error.message : String(error)));
    return () => {
      current = false;
    };
    // Mounted per filter and sort (keyed by the query string): this runs once.
  }, []);

  const loadMore = useCallback(() => {
    const cursor = stateRef.current?.nextCursor;
    if (!cursor) return;
    setLoadingMore(true);
    utils.client.tracks.explore
      .query({ filter, sort, cursor, limit: EXPLORER_PAGE })
      .then((page) => setState((current) => (current ? appendPage(current, page) : current)))
      .catch((error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)))
      .finally(() => setLoadingMore(false));
  }, [utils, filter, sort]);

  const live = useExplorerLive({
    streamKey: `explorer:${queryString}`,
    filter,
    sort,
    // Wait for the first page when the browser reads it: its position is where the stream starts.
    startFrom: position,
    loadedIds: () => stateRef.current?.rows.map((row) => row.id) ?? [],
    taggedIds: (tagId) => stateRef.current?.rows.filter((row) => row.tags.some((tag) => tag.id === tagId)).map((row) => row.id) ?? [],
    onReread: (requested, rows) => setState((current) => (current ? applyReread(current, requested, rows, sort, Date.now()) : current)),
  });

  const hasHighlights = (state?.inserted.size ?? 0) > 0;
  useEffect(() => {
    if (!hasHighlights) return;
    const timer = setInterval(() => setState((current) => (current ? expireHighlights(current, Date.now(), HIGHLIGHT_MS) : current)), 1_000);
    return () => clearInterval(timer);
  }, [hasHighlights]);

  const rows = state?.rows ?? [];
  const order = rows.map((row) => row.id);
  const selected = order.filter((id) => selection.ids.has(id));
  const staleCount = state?.stale.size ?? 0;

  return (
    <section aria-labelledby="explorer-results-title" className="space-y-3">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id="explorer-results-title" className="text-sm font-semibold text-zinc-900">
          <span data-testid="explorer-count">{count.data ? formatCount(count.data.count) : '…'}</span> {count.data?.count === 1 ? 'track matches' : 'tracks match'}
        </h2>
        <p className="text-xs text-zinc-500">
          {formatCount(rows.length)} loaded{state?.nextCursor ? ', more as you scroll' : ''}
          {staleCount > 0 ? ` · ${staleCount} no longer ${staleCount === 1 ? 'matches' : 'match'} (they go on the next filter change or refresh)` : ''}
        </p>
        {live.status === 'reconnecting' || live.status === 'error' ? <span className="text-xs text-amber-700">reconnecting…</span> : null}
        <div className="ml-auto">
          <SortSelect sort={sort} onSort={onSort} />
        </div>
      </div>
      <BatchActions trackIds={selected} onClear={() => setSelection(emptySelection)} />
      <div className="rounded-xl border border-zinc-200 bg-white shadow-sm">
        <ExplorerGrid
          rows={rows}
          stale={state?.stale ?? new Set()}
          inserted={state?.inserted ?? new Map()}
          selection={selection}
          onToggleRow={(id, shift) => setSelection((current) => toggleRow(current, order, id, shift))}
          onToggleAll={() => setSelection((current) => toggleAll(current, order))}
          sort={sort}
          onSort={onSort}
          hasMore={Boolean(state?.nextCursor) && !loadError}
          loadingMore={loadingMore}
          onLoadMore={loadMore}
          footer={
            loadError ? (
              <p role="alert" className="px-4 py-6 text-sm text-rose-700">
                {loadError}
              </p>
            ) : !state ? (
              <p className="px-4 py-6 text-sm text-zinc-500">Loading tracks…</p>
            ) : rows.length === 0 ? (
              <p className="px-4 py-6 text-sm text-zinc-500">No track matches these filters.</p>
            ) : loadingMore ? (
              <p className="px-4 py-3 text-sm text-zinc-500">Loading more…</p>
            ) : null
          }
        />
      </div>
    </section>
  );
}

'use client';
/**
 * The explorer's virtualised grid (TanStack Table for cells, TanStack Virtual for rows): sortable
 * headers that ask the server for another order, checkboxes with shift-click ranges, the next
 * page loaded as the reader nears the end. Rows that stopped matching are dimmed and say so; rows
 * that appeared live are highlighted for a moment; a row inserted above the reader's place moves
 * the scroll position with it, so what is being read stays put.
 */
import { useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { SortableColumnHeader } from '../ui/sortable-column-header';
import { explorerColumns, explorerFeatures, explorerGridTemplate, sortOfColumn } from './explorer-columns';
import type { ExplorerSort } from './explorer-query';
import type { ExplorerRow } from './explorer-rows';
import type { Selection } from './row-selection';

const ROW_HEIGHT = 52;
const LOAD_AHEAD = 20;
/** What the server renders before the browser measures the grid (about one screen of rows). */
const SERVER_RECT = { width: 1200, height: 640 };

export interface ExplorerGridProps {
  rows: ExplorerRow[];
  stale: ReadonlySet<string>;
  inserted: ReadonlyMap<string, number>;
  selection: Selection;
  onToggleRow: (id: string, shift: boolean) => void;
  onToggleAll: () => void;
  sort: ExplorerSort;
  onSort: (sort: ExplorerSort) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  footer: React.ReactNode;
}

export function ExplorerGrid(props: ExplorerGridProps) {
  const { rows, stale, inserted, selection, sort } = props;
  const table = useTable({ features: explorerFeatures, columns: explorerColumns, data: rows, getRowId: (row) => row.id }, () => null);
  const tableRows = table.getRowModel().rows;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: tableRows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10, initialRect: SERVER_RECT });
  const items = virtualizer.getVirtualItems();

  const lastIndex = items.at(-1)?.index ?? -1;
  const { hasMore, loadingMore, onLoadMore } = props;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - LOAD_AHEAD) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, onLoadMore]);

  // Scroll anchoring: the first row in view stays where it was when rows are inserted above it.
  const anchor = useRef<{ id: string; index: number } | null>(null);
  const recordAnchor = () => {
    const element = scroller.current;
    if (!element) return;
    const first = Math.floor(element.scrollTop / ROW_HEIGHT);
    anchor.current = element.scrollTop > 0 && rows[first] ? { id: rows[first].id, index: first } : null;
  };
  useLayoutEffect(() => {
    const element = scroller.current;
    const was = anchor.current;
    if (element && was) {
      const now = rows.findIndex((row) => row.id === was.id);
      if (now >= 0 && now !== was.index) element.scrollTop += (now - was.index) * ROW_HEIGHT;
    }
    recordAnchor();
    // Only a change of the rows moves the anchor; scrolling records it through onScroll.
  }, [rows]);

  const allSelected = rows.length > 0 && rows.every((row) => selection.ids.has(row.id));
  const someSelected = !allSelected && rows.some((row) => selection.ids.has(row.id));
  const headerCheckbox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (headerCheckbox.current) headerCheckbox.current.indeterminate = someSelected;
  }, [someSelected]);

  return (
    <div
      ref={scroller}
      onScroll={recordAnchor}
      role="table"
      aria-label="Tracks"
      aria-rowcount={rows.length + 1}
      data-testid="explorer-grid"
      className="relative max-h-[40rem] min-h-40 overflow-auto"
      tabIndex={0}
    >
      <div className="min-w-[1180px]">
        <div role="rowgroup" className="sticky top-0 z-10 border-b border-zinc-200 bg-zinc-50">
          <div role="row" aria-rowindex={1} className="grid" style={{ gridTemplateColumns: explorerGridTemplate }}>
            {table.getHeaderGroups()[0]!.headers.map((header) => {
              if (header.column.id === 'select') {
                return (
                  <div role="columnheader" key={header.id} className="flex items-center px-3 py-2">
                    <input ref={headerCheckbox} type="checkbox" aria-label="Select every loaded row" checked={allSelected} onChange={props.onToggleAll} className="size-4" />
                  </div>
                );
              }
              const sortable = sortOfColumn[header.column.id];
              const active = sortable && sort.field === sortable.field ? sort.dir : null;
              return (
                <SortableColumnHeader
                  key={header.id}
                  sorted={active}
                  onSort={sortable ? () => props.onSort({ field: sortable.field, dir: active ? (active === 'asc' ? 'desc' : 'asc') : sortable.firstDir }) : undefined}
                >
                  <table.FlexRender header={header} />
                </SortableColumnHeader>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = tableRows[item.index]!;
            const isStale = stale.has(row.id);
            const isNew = inserted.has(row.id);
            const selected = selection.ids.has(row.id);
            return (
              <div
                role="row"
                key={row.id}
                aria-rowindex={item.index + 2}
                data-selected={selected ? 'true' : undefined}
                data-testid="explorer-row"
                data-track-id={row.id}
                data-stale={isStale ? 'true' : undefined}
                data-inserted={isNew ? 'true' : undefined}
                className={`absolute inset-x-0 grid items-center border-b border-zinc-100 text-sm transition-colors duration-700 ${isNew ? 'bg-amber-50' : selected ? 'bg-indigo-50/60' : 'hover:bg-zinc-50'} ${isStale ? 'opacity-50' : ''}`}
                style={{ gridTemplateColumns: explorerGridTemplate, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
              >
                {row.getAllCells().map((cell) =>
                  cell.column.id === 'select' ? (
                    <div role="cell" key={cell.id} className="flex items-center px-3">
                      <input
                        type="checkbox"
                        checked={selected}
                        readOnly
                        onClick={(event) => props.onToggleRow(row.id, event.shiftKey)}
                        aria-label={`Select ${row.original.name} by ${row.original.artist}`}
                        className="size-4"
                      />
                    </div>
                  ) : (
                    <div role="cell" key={cell.id} className="relative min-w-0 truncate px-3">
                      <table.FlexRender cell={cell} />
                      {cell.column.id === 'name' && isStale ? (
                        <span className="absolute right-1 bottom-0.5 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-900" data-testid="no-longer-matches">
                          no longer matches
                        </span>
                      ) : null}
                    </div>
                  ),
                )}
              </div>
            );
          })}
        </div>
        {props.footer}
      </div>
    </div>
  );
}

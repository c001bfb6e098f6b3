/**
 * A column header of a div grid (role="columnheader"): when the column sorts, a button that asks
 * for its sort, with aria-sort and an arrow for the current direction; otherwise just its label.
 * Which order a click picks is the grid's (client-side sorting, or a new query to the server).
 */
import type { MouseEvent, ReactNode } from 'react';

export function SortableColumnHeader({ sorted, onSort, children }: { sorted: 'asc' | 'desc' | false | null; onSort?: (event: MouseEvent) => void; children: ReactNode }) {
  return (
    <div
      role="columnheader"
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
      className="px-3 py-2 text-xs font-medium text-zinc-500 uppercase"
    >
      {onSort ? (
        <button type="button" onClick={onSort} className="inline-flex items-center gap-1 rounded uppercase hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600">
          {children}
          <span aria-hidden className="text-[10px]">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
        </button>
      ) : (
        children
      )}
    </div>
  );
}

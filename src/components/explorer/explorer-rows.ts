/**
 * The rows the explorer has loaded, and how a live re-read changes them.
 *
 * The choice, for a reader who is looking at the grid while it changes:
 * - a loaded row that still matches is replaced in place, where it is, even if its sort key moved
 *   (the grid does not reorder under the reader);
 * - a loaded row that no longer matches is MARKED (dimmed, "no longer matches"), not removed; it
 *   goes on the next filter change or refresh;
 * - a track that starts matching is inserted, highlighted for a moment, only when it sorts within
 *   the loaded range (before the last loaded row, or anywhere once every page is loaded); beyond
 *   that range the next page brings it, as paging would have anyway.
 */
import type { RouterOutputs } from '~/trpc/types';
import type { ExplorerSort } from './explorer-query';

export type ExplorerRow = RouterOutputs['tracks']['explore']['rows'][number];

export interface LoadedRows {
  rows: ExplorerRow[];
  /** Loaded rows that a re-read said no longer match the filter. */
  stale: ReadonlySet<string>;
  /** Rows inserted live, with when (ms), so they are highlighted briefly. */
  inserted: ReadonlyMap<string, number>;
  /** The next page's cursor; null once every matching row is loaded. */
  nextCursor: string | null;
}

export function loadedFromPage(page: { rows: ExplorerRow[]; nextCursor: string | null }): LoadedRows {
  return { rows: page.rows, stale: new Set(), inserted: new Map(), nextCursor: page.nextCursor };
}

/** The row's sort key as the server orders it (explorer-sort.ts): lower-cased text, '' as null. */
export function sortValue(row: ExplorerRow, field: ExplorerSort['field']): string | number | null {
  switch (field) {
    case 'name':
      return row.name.toLowerCase();
    case 'artist':
      return row.artist.toLowerCase();
    case 'label':
      return row.label ? row.label.toLowerCase() : null;
    case 'streams':
      return row.streams ?? null;
    case 'popularity':
      return row.popularity ?? null;
    case 'releaseDate':
      return row.releaseDate ? row.releaseDate : null;
    case 'firstSeenAt':
      return row.firstSeenAt;
    case 'enrichedAt':
      return row.enrichedAt ?? null;
  }
}

const order = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when `a` comes first: the key in the sort's direction with nulls last, then id in the same direction. */
export function compareRows(a: ExplorerRow, b: ExplorerRow, sort: ExplorerSort): number {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const ka = sortValue(a, sort.field);
  const kb = sortValue(b, sort.field);
  if (ka === null && kb !== null) return 1;
  if (kb === null && ka !== null) return -1;
  const byKey = ka === null || kb === null ? 0 : order(ka, kb);
  return sign * (byKey !== 0 ? byKey : order(a.id, b.id));
}

/** The next page, after the loaded rows (a row already loaded, moved by a live change, is not shown twice). */
export function appendPage(state: LoadedRows, page: { rows: ExplorerRow[]; nextCursor: string | null }): LoadedRows {
  const loaded = new Set(state.rows.map((row) => row.id));
  return { ...state, rows: [...state.rows, ...page.rows.filter((row) => !loaded.has(row.id))], nextCursor: page.nextCursor };
}

/**
 * Applies a re-read: `requested` are the ids asked for (tracks.explore with trackIds), `answer`
 * the rows that came back, which are exactly those that still match.
 */
export function applyReread(state: LoadedRows, requested: Iterable<string>, answer: readonly ExplorerRow[], sort: ExplorerSort, now: number): LoadedRows {
  const matching = new Map(answer.map((row) => [row.id, row]));
  const rows = [...state.rows];
  const index = new Map(rows.map((row, at) => [row.id, at]));
  const stale = new Set(state.stale);
  const inserted = new Map(state.inserted);
  let changed = false;
  for (const id of new Set(requested)) {
    const at = index.get(id);
    const fresh = matching.get(id);
    if (at !== undefined) {
      if (fresh) {
        rows[at] = fresh;
        stale.delete(id);
      } else {
        stale.add(id);
      }
      changed = true;
    } else if (fresh) {
      const last = rows[rows.length - 1];
      const withinLoaded = state.nextCursor === null || !last || compareRows(fresh, last, sort) < 0;
      if (!withinLoaded) continue;
      let position = rows.findIndex((row) => compareRows(fresh, row, sort) < 0);
      if (position < 0) position = rows.length;
      rows.splice(position, 0, fresh);
      // Every index after the insertion moved by one.
      for (let i = position; i < rows.length; i++) index.set(rows[i]!.id, i);
      inserted.set(id, now);
      changed = true;
    }
  }
  return changed ? { ...state, rows, stale, inserted } : state;
}

/** Forgets highlights older than `ms`. */
export function expireHighlights(state: LoadedRows, now: number, ms: number): LoadedRows {
  if (![...state.inserted.values()].some((at) => now - at >= ms)) return state;
  return { ...state, inserted: new Map([...state.inserted].filter(([, at]) => now - at < ms)) };
}

/**
 * Imports as the importProgress stream keeps them: live counters of both stages (rows read,
 * playlists fetched), rates and ETA, then the summary.
 */
import type { Envelope } from '~/server/events/catalog';
import type { RouterOutputs } from '~/trpc/types';

export type ImportRow = RouterOutputs['imports']['get'];

export type ImportEventType = 'bulk_import_progress' | 'bulk_import_finished';

export interface ImportView extends ImportRow {
  rowsPerSecond: number | null;
  fetchesPerSecond: number | null;
  etaSeconds: number | null;
  durationMs: number | null;
}

const noRates = { rowsPerSecond: null, fetchesPerSecond: null, etaSeconds: null, durationMs: null };

export type ImportsState = Map<string, ImportView>;

export function importsFromSnapshot(imports: ImportRow[]): ImportsState {
  return new Map(imports.map((row) => [row.id, { ...row, ...noRates }]));
}

function placeholder(importId: string, at: string): ImportView {
  return {
    id: importId,
    filename: null,
    status: 'queued',
    total: null,
    processed: 0,
    created: 0,
    duplicates: 0,
    failed: 0,
    lastRow: 0,
    toFetch: 0,
    fetched: 0,
    fetchFailed: 0,
    rowsReadAt: null,
    cancelRequested: false,
    error: null,
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    updatedAt: at,
    ...noRates,
  };
}

export function applyImportEvents(state: ImportsState, events: Envelope<ImportEventType>[]): ImportsState {
  const next = new Map(state);
  for (const event of events) {
    const current = next.get(event.data.importId) ?? placeholder(event.data.importId, event.at);
    const { processed, created, duplicates, failed, total } = event.data;
    // Events stored before imports had a fetch stage carry no fetch counters.
    const { toFetch = current.toFetch, fetched = current.fetched, fetchFailed = current.fetchFailed } = event.data as Partial<typeof event.data>;
    const counters = { processed, created, duplicates, failed, total: total ?? current.total, toFetch, fetched, fetchFailed };
    if (event.type === 'bulk_import_progress') {
      // A late progress value never reopens a finished import.
      if (current.finishedAt) continue;
      next.set(current.id, {
        ...current,
        ...counters,
        status: event.data.status ?? 'running',
        rowsReadAt: current.rowsReadAt ?? (total !== null && processed >= total ? event.at : null),
        rowsPerSecond: event.data.rowsPerSecond,
        fetchesPerSecond: event.data.fetchesPerSecond ?? null,
        etaSeconds: event.data.etaSeconds,
      });
    } else {
      next.set(current.id, {
        ...current,
        ...counters,
        status: event.data.status,
        error: event.data.error,
        durationMs: event.data.durationMs,
        finishedAt: event.at,
        etaSeconds: null,
      });
    }
  }
  return next;
}

export function sortedImports(state: ImportsState): ImportView[] {
  return [...state.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

/**
 * An import first seen through its events lacks what only the row has (file name, start time):
 * take those from the fetched row, and keep the live counters when they are further along.
 */
export function mergeFetchedImport(state: ImportsState, fetched: ImportRow): ImportsState {
  const live = state.get(fetched.id);
  const next = new Map(state);
  if (!live) {
    next.set(fetched.id, { ...fetched, ...noRates });
    return next;
  }
  const liveIsAhead = live.finishedAt !== null || (live.processed >= fetched.processed && live.fetched + live.fetchFailed >= fetched.fetched + fetched.fetchFailed);
  next.set(fetched.id, liveIsAhead ? { ...live, filename: fetched.filename, createdAt: fetched.createdAt, startedAt: fetched.startedAt, total: live.total ?? fetched.total } : { ...live, ...fetched });
  return next;
}

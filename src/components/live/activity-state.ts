/**
 * The activity panel's rows, newest first, each once: the same row can reach us from the
 * snapshot, a replay after a reconnect, and an older page, and is kept by its id.
 */
import type { Envelope } from '~/server/events/catalog';

export interface ActivityRow {
  id: string;
  kind: string;
  message: string;
  createdAt: string;
  playlistId?: string | null;
  jobId?: string | null;
  importId?: string | null;
}

export interface ActivityState {
  rows: ActivityRow[];
  /** Cursor of the next older page, or null when the oldest row is shown. */
  olderCursor: string | null | undefined;
}

export const emptyActivity: ActivityState = { rows: [], olderCursor: undefined };

function merge(rows: ActivityRow[]): ActivityRow[] {
  const byId = new Map<string, ActivityRow>();
  for (const row of rows) if (!byId.has(row.id)) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export function activityFromSnapshot(rows: ActivityRow[], pageSize: number): ActivityState {
  const sorted = merge(rows);
  const last = sorted.at(-1);
  // The snapshot is the newest page; a full page means there may be older rows.
  return { rows: sorted, olderCursor: rows.length >= pageSize && last ? `${last.createdAt}|${last.id}` : null };
}

export function applyActivityEvents(state: ActivityState, events: Envelope<'activity_logged'>[]): ActivityState {
  const fresh = events.map((event) => ({
    id: event.data.activityId,
    kind: event.data.kind,
    message: event.data.message,
    createdAt: event.data.createdAt,
    playlistId: event.keys.playlistId ?? null,
    jobId: event.keys.jobId ?? null,
    importId: event.keys.importId ?? null,
  }));
  return { ...state, rows: merge([...fresh, ...state.rows]) };
}

export function appendOlderActivity(state: ActivityState, page: { items: ActivityRow[]; nextCursor: string | null }): ActivityState {
  return { rows: merge([...state.rows, ...page.items]), olderCursor: page.nextCursor };
}

/**
 * A track's history (shown by tracks.detail): each entry is written in the transaction of the
 * change it records, so the history never tells of a change that rolled back, nor misses one that
 * committed. Entries for any number of tracks go in one statement.
 *
 * Membership (added to or dropped from a playlist) is not written here: the playlists' own record
 * (playlist_track_changes) holds it, and track-detail.ts reads both.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { trackHistory, type TrackHistoryKind } from '~/server/db/schema';
import { phaseNames } from '~/server/events/catalog';
import type { Tx } from '~/server/events/event-log';
import type { TrackRow, TransitionContext } from './track-transitions';

export interface HistoryEntry {
  trackId: string;
  kind: TrackHistoryKind;
  message: string;
  jobId?: string | null;
  playlistId?: string | null;
  /** The person who did it; null for the worker or an API key. */
  by?: string | null;
}

export interface RecordedEntry {
  id: string;
  trackId: string;
  at: Date;
}

/**
 * Writes the entries in one INSERT ... SELECT FROM unnest(arrays): a statement with seven
 * parameters however many tracks it covers (a row per track in VALUES would pass Postgres's limit
 * of 65,535 parameters at a few thousand tracks).
 */
export async function recordTrackHistory(db: Executor, workspaceId: string, entries: readonly HistoryEntry[]): Promise<RecordedEntry[]> {
  if (entries.length === 0) return [];
  const column = (pick: (entry: HistoryEntry) => string | null | undefined) => sql`${sql.param(entries.map((entry) => pick(entry) ?? null))}::text[]`;
  const written = await rows<{ id: string; track_id: string; at: Date | string }>(
    db,
    sql`INSERT INTO ${trackHistory} (workspace_id, track_id, kind, message, job_id, playlist_id, by)
      SELECT ${workspaceId}, u.track_id, u.kind, u.message, u.job_id, u.playlist_id, u.by
      FROM unnest(${column((e) => e.trackId)}, ${column((e) => e.kind)}, ${column((e) => e.message)}, ${column((e) => e.jobId)}, ${column((e) => e.playlistId)}, ${column((e) => e.by)})
        AS u(track_id, kind, message, job_id, playlist_id, by)
      RETURNING id::text AS id, track_id, at`,
  );
  return written.map((row) => ({ id: row.id, trackId: row.track_id, at: new Date(row.at) }));
}

/**
 * What a job did to the tracks it finished: `enriched` for each it completed, `failed` for each
 * that moved to failed (a failed batch, or the job's final failure). Called by applyTrackChanges
 * for every change of status, in its transaction; moves that are not a job finishing a track
 * (a re-enrich putting a track back to pending, a batch starting) record nothing.
 */
export async function recordEnrichmentOutcomes(
  tx: Tx,
  ctx: TransitionContext,
  moves: readonly { before: TrackRow; after: TrackRow }[],
  completedNow: ReadonlySet<string>,
): Promise<void> {
  if (!ctx.jobId) return;
  // A track changed twice in one call ends as its last change says; it started as its first said.
  const byTrack = new Map<string, { before: TrackRow; after: TrackRow }>();
  for (const { before, after } of moves) byTrack.set(before.id, { before: byTrack.get(before.id)?.before ?? before, after });
  const entries: HistoryEntry[] = [];
  for (const { before, after } of byTrack.values()) {
    if (completedNow.has(after.id)) entries.push({ trackId: after.id, kind: 'enriched', message: enrichedMessage(after), jobId: ctx.jobId, playlistId: ctx.playlistId });
    else if (after.enrichmentStatus === 'failed' && before.enrichmentStatus !== 'failed') {
      entries.push({ trackId: after.id, kind: 'failed', message: `Enrichment failed: ${after.enrichmentError ?? 'no reason given.'}`, jobId: ctx.jobId, playlistId: ctx.playlistId });
    }
  }
  await recordTrackHistory(tx.db, ctx.workspaceId, entries);
}

function enrichedMessage(track: TrackRow): string {
  const found = [
    track.isrc && `ISRC ${track.isrc}`,
    track.label && `label ${track.label}`,
    track.songwriters?.length && plural(track.songwriters.length, 'songwriter'),
    track.producers?.length && plural(track.producers.length, 'producer'),
    track.streams != null && `${track.streams.toLocaleString('en-US')} streams`,
  ].filter(Boolean);
  return found.length > 0 ? `Enriched: ${found.join(', ')}.` : 'Enriched; the providers found nothing new.';
}

export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** "catalog, credits and stats" for [1, 2, 3]. */
export function describePhases(phases: readonly number[]): string {
  const names = [...phases].sort().map((phase) => phaseNames[phase as keyof typeof phaseNames] ?? `phase ${phase}`);
  return names.length <= 1 ? (names[0] ?? 'no phases') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

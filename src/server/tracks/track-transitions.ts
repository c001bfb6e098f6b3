/**
 * Moves tracks between enrichment statuses inside the caller's transaction, with one
 * track_status_changed event (old and new status) per track whose status actually changed.
 *
 * The rule for what a subscriber sees (track_status_changed of one track, in seq order):
 * - Statuses move forward: pending | failed -> enriching -> completed | failed, one job at a time
 *   (a job claims a track before it moves it, tracks/track-claims.ts).
 * - Only two moves go back, and each is an explicit act: a person's re-enrich moves a completed or
 *   failed track to pending at the moment they ask (a new run starts, reenrich-track.ts), and
 *   cancelling a running job puts the tracks it holds from enriching back to pending.
 * - A job never moves a completed track. It skips one completed after the job was asked for, or
 *   (a job nobody asked for by hand) within TRACK_FRESHNESS_MS. One it does run over (a forced job,
 *   or an automatic one over a stale track) stays `completed` with its earlier data while the job
 *   works; the new data is written at the end, announced by track_enriched; if the new run fails
 *   for it, it stays completed with its earlier data and the job counts the failure.
 * - A job that ends settles only tracks no other running job holds, so it never moves a track
 *   that another job is enriching.
 * - enriched_at is database time (now()), as the freshness checks compare it in the database.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { tracks, type TrackStatus } from '../db/schema';
import type { Tx } from '../events/event-log';
import { recordEnrichmentOutcomes } from './track-history';

export type TrackRow = typeof tracks.$inferSelect;
/** Columns a phase fills in on a track. */
export type TrackFields = Partial<
  Pick<
    TrackRow,
    | 'isrc'
    | 'label'
    | 'releaseDate'
    | 'popularity'
    | 'durationMs'
    | 'explicit'
    | 'artworkUrl'
    | 'songwriters'
    | 'producers'
    | 'streams'
    | 'playlistReach'
    | 'workCode'
    | 'iswc'
    | 'writers'
    | 'publishers'
    | 'publisherStatus'
    | 'rightsCheckedAt'
  >
>;

export interface TrackChange {
  trackId: string;
  /** New status; omitted keeps the current one (fields only). */
  to?: TrackStatus;
  error?: string | null;
  fields?: TrackFields;
}

export interface TransitionContext {
  workspaceId: string;
  jobId: string | null;
  playlistId: string | null;
}

/**
 * Applies the changes; returns each changed track's row after the change. The rows are locked
 * first, the new values worked out from them, and written in one UPDATE ... FROM (VALUES ...) for
 * the whole batch instead of one statement per track.
 */
export async function applyTrackChanges(tx: Tx, ctx: TransitionContext, changes: readonly TrackChange[]): Promise<Map<string, TrackRow>> {
  const result = new Map<string, TrackRow>();
  if (changes.length === 0) return result;
  const current = await tx.db
    .select()
    .from(tracks)
    .where(and(eq(tracks.workspaceId, ctx.workspaceId), inArray(tracks.id, changes.map((c) => c.trackId))))
    // In id order, and NO KEY UPDATE (no key changes here): jobs of playlists that share tracks
    // wait for each other instead of deadlocking, and the key-share locks that adding a playlist's
    // memberships takes on its tracks never wait for (or block) enrichment.
    .orderBy(asc(tracks.id))
    .for('no key update');
  const byId = new Map(current.map((row) => [row.id, row]));
  const now = new Date();
  const moves: Array<{ before: TrackRow; after: TrackRow }> = [];
  // Tracks completed by these changes: their enriched_at is the database's now().
  const stamped = new Set<string>();
  for (const change of changes) {
    const before = result.get(change.trackId) ?? byId.get(change.trackId);
    if (!before) continue; // removed meanwhile (its playlist was deleted)
    const to = change.to ?? before.enrichmentStatus;
    const after: TrackRow = {
      ...before,
      ...change.fields,
      enrichmentStatus: to,
      enrichmentError: to === 'failed' ? (change.error ?? before.enrichmentError ?? 'Enrichment failed.') : null,
      enrichedAt: to === 'completed' ? now : before.enrichedAt,
      updatedAt: now,
    };
    if (to === 'completed') stamped.add(before.id);
    else stamped.delete(before.id);
    result.set(before.id, after);
    moves.push({ before, after });
  }
  if (moves.length === 0) return result;
  const latest = [...result.values()];
  const json = (value: unknown) => (value == null ? null : JSON.stringify(value));
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  const values = sql.join(
    latest.map(
      (t) =>
        sql`(${t.id}::text, ${t.isrc}::text, ${t.label}::text, ${t.releaseDate}::text, ${t.popularity}::int, ${t.durationMs}::int, ${t.explicit}::boolean, ${t.artworkUrl}::text, ${json(t.songwriters)}::jsonb, ${json(t.producers)}::jsonb, ${t.streams}::bigint, ${t.playlistReach}::int, ${t.workCode}::text, ${t.iswc}::text, ${json(t.writers)}::jsonb, ${json(t.publishers)}::jsonb, ${t.publisherStatus}::text, ${iso(t.rightsCheckedAt)}::timestamptz, ${t.enrichmentStatus}::text, ${t.enrichmentError}::text, ${iso(t.enrichedAt)}::timestamptz, ${stamped.has(t.id)}::boolean, ${iso(t.updatedAt)}::timestamptz)`,
    ),
    sql`, `,
  );
  await tx.db.execute(sql`
    UPDATE ${tracks} AS t SET isrc = v.isrc, label = v.label, release_date = v.release_date, popularity = v.popularity, duration_ms = v.duration_ms,
      explicit = v.explicit, artwork_url = v.artwork_url, songwriters = v.songwriters, producers = v.producers, streams = v.streams,
      playlist_reach = v.playlist_reach, work_code = v.work_code, iswc = v.iswc, writers = v.writers, publishers = v.publishers,
      publisher_status = v.publisher_status, rights_checked_at = v.rights_checked_at, enrichment_status = v.enrichment_status, enrichment_error = v.enrichment_error,
      enriched_at = CASE WHEN v.stamp THEN now() ELSE v.enriched_at END, updated_at = v.updated_at
    FROM (VALUES ${values}) AS v(id, isrc, label, release_date, popularity, duration_ms, explicit, artwork_url, songwriters, producers, streams, playlist_reach, work_code, iswc, writers, publishers, publisher_status, rights_checked_at, enrichment_status, enrichment_error, enriched_at, stamp, updated_at)
    WHERE t.id = v.id`);
  await recordEnrichmentOutcomes(tx, ctx, moves, stamped);
  for (const { before, after } of moves) {
    if (after.enrichmentStatus !== before.enrichmentStatus) {
      tx.emit({
        type: 'track_status_changed',
        workspaceId: ctx.workspaceId,
        keys: trackKeys(ctx, before.id),
        data: { trackId: before.id, jobId: ctx.jobId, from: before.enrichmentStatus, to: after.enrichmentStatus, error: after.enrichmentStatus === 'failed' ? after.enrichmentError : null },
      });
    }
  }
  return result;
}

export function trackKeys(ctx: TransitionContext, trackId: string) {
  return {
    trackId,
    ...(ctx.jobId ? { jobId: ctx.jobId } : {}),
    ...(ctx.playlistId ? { playlistId: ctx.playlistId } : {}),
  };
}

/** Moves every track of `trackIds` that is in one of `from` to `to` (cancel, final failure). */
export async function moveTracksInStatus(
  tx: Tx,
  ctx: TransitionContext,
  trackIds: readonly string[],
  from: readonly TrackStatus[],
  to: TrackStatus,
  error: string | null,
): Promise<number> {
  if (trackIds.length === 0) return 0;
  const matching = await tx.db
    .select({ id: tracks.id })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, ctx.workspaceId), inArray(tracks.id, [...trackIds]), inArray(tracks.enrichmentStatus, [...from])));
  await applyTrackChanges(tx, ctx, matching.map((row) => ({ trackId: row.id, to, error })));
  return matching.length;
}

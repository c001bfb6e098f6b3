/**
 * Moves tracks between enrichment statuses inside the caller's transaction, with one
 * track_status_changed event (old and new status) per track whose status actually changed.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { tracks, type TrackStatus } from '../db/schema';
import type { Tx } from '../events/event-log';

export type TrackRow = typeof tracks.$inferSelect;
/** Columns a phase fills in on a track. */
export type TrackFields = Partial<Pick<TrackRow, 'isrc' | 'label' | 'releaseDate' | 'popularity' | 'durationMs' | 'explicit' | 'artworkUrl' | 'songwriters' | 'producers' | 'streams' | 'playlistReach'>>;

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

/** Applies the changes; returns each changed track's row after the change. */
export async function applyTrackChanges(tx: Tx, ctx: TransitionContext, changes: readonly TrackChange[]): Promise<Map<string, TrackRow>> {
  const result = new Map<string, TrackRow>();
  if (changes.length === 0) return result;
  const current = await tx.db
    .select()
    .from(tracks)
    .where(and(eq(tracks.workspaceId, ctx.workspaceId), inArray(tracks.id, changes.map((c) => c.trackId))))
    .for('update');
  const byId = new Map(current.map((row) => [row.id, row]));
  for (const change of changes) {
    const before = byId.get(change.trackId);
    if (!before) continue; // removed meanwhile (its playlist was deleted)
    const to = change.to ?? before.enrichmentStatus;
    const [after] = await tx.db
      .update(tracks)
      .set({
        ...change.fields,
        enrichmentStatus: to,
        enrichmentError: to === 'failed' ? (change.error ?? before.enrichmentError ?? 'Enrichment failed.') : null,
        enrichedAt: to === 'completed' ? sql`now()` : before.enrichedAt,
        updatedAt: sql`now()`,
      })
      .where(eq(tracks.id, before.id))
      .returning();
    result.set(before.id, after!);
    if (to !== before.enrichmentStatus) {
      tx.emit({
        type: 'track_status_changed',
        workspaceId: ctx.workspaceId,
        keys: trackKeys(ctx, before.id),
        data: { trackId: before.id, jobId: ctx.jobId, from: before.enrichmentStatus, to, error: to === 'failed' ? after!.enrichmentError : null },
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

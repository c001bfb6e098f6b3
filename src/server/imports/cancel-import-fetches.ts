/**
 * Stops an import's remaining fetches (a cancel, or an import that failed): its queued fetch jobs
 * go, with the playlists they were to fetch (nobody saw their tracks; re-importing the error
 * report brings them back), and each of their rows becomes failed with `reason`. A fetch already
 * in flight finishes and counts. Done in short transactions of a few hundred playlists each, so
 * cancelling a 10,000-playlist import never holds the database for long; the last one finishes
 * the import when nothing is left in flight.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { enrichmentJobs, playlists } from '../db/schema';
import type { Runtime } from '../runtime';
import { ImportProgress } from './import-progress';
import { recordFetchOutcomes, type RecordedFetches } from './record-fetch-outcomes';

const PER_TRANSACTION = 500;

export const CANCELLED_BEFORE_FETCH = 'the import was cancelled before this playlist was fetched; import the row again to add it';

export async function cancelImportFetches(runtime: Runtime, importId: string, reason = CANCELLED_BEFORE_FETCH): Promise<RecordedFetches | null> {
  let last: RecordedFetches | null = null;
  for (;;) {
    const { recorded, count } = await runtime.log.transaction(async (tx) => {
      const queued = await tx.db
        .select({ jobId: enrichmentJobs.id, playlistId: enrichmentJobs.playlistId, workspaceId: enrichmentJobs.workspaceId })
        .from(enrichmentJobs)
        .where(and(eq(enrichmentJobs.importId, importId), eq(enrichmentJobs.kind, 'fetch'), eq(enrichmentJobs.status, 'queued')))
        .limit(PER_TRANSACTION)
        .for('update', { skipLocked: true });
      if (queued.length === 0) return { recorded: await recordFetchOutcomes(tx, importId, { fetched: 0, failed: [] }), count: 0 };
      await tx.db.delete(enrichmentJobs).where(inArray(enrichmentJobs.id, queued.map((job) => job.jobId)));
      const ids = queued.map((job) => job.playlistId).filter((id): id is string => id !== null);
      const removed = ids.length
        ? await tx.db
            .delete(playlists)
            .where(and(inArray(playlists.id, ids), eq(playlists.fetchStatus, 'pending')))
            .returning({ id: playlists.id, spotifyId: playlists.spotifyId, workspaceId: playlists.workspaceId })
        : [];
      for (const playlist of removed) {
        tx.emit({ type: 'playlist_updated', workspaceId: playlist.workspaceId, keys: { playlistId: playlist.id }, data: { playlistId: playlist.id, spotifyId: playlist.spotifyId, changes: {}, removed: true } });
      }
      // A playlist no longer pending was fetched meanwhile (a refresh by hand): it counts as fetched.
      const recorded = await recordFetchOutcomes(tx, importId, {
        fetched: queued.length - removed.length,
        failed: removed.map((playlist) => ({ playlistId: playlist.id, reason })),
      });
      return { recorded, count: queued.length };
    });
    if (recorded) last = recorded;
    if (recorded?.row) new ImportProgress(runtime, { importId, workspaceId: recorded.row.workspaceId }).report(recorded.row, { final: true });
    if (count < PER_TRANSACTION) return last;
  }
}

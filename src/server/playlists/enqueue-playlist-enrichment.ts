/** Enqueues a job for a playlist's tracks that need enrichment (none needed, no job). */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { playlistTracks, tracks } from '../db/schema';
import type { Tx } from '../events/event-log';
import { enqueueJob } from '../jobs/enqueue-job';
import { NEEDS_ENRICHMENT } from '../jobs/job-tracks';
import type { Runtime } from '../runtime';

export async function enqueuePlaylistEnrichment(tx: Tx, runtime: Runtime, workspaceId: string, playlistId: string, reason: string): Promise<string | null> {
  const [row] = await tx.db
    .select({ count: sql<number>`count(*)::int` })
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .where(and(eq(playlistTracks.playlistId, playlistId), inArray(tracks.enrichmentStatus, [...NEEDS_ENRICHMENT])));
  if (Number(row?.count ?? 0) === 0) return null;
  const { job } = await enqueueJob(tx, { workspaceId, playlistId, maxAttempts: runtime.config.JOB_MAX_ATTEMPTS, reason });
  return job.id;
}

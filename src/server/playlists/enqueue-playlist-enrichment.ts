/** Enqueues a job for a playlist's tracks that need enrichment (none needed, no job). */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { enrichmentJobs, playlistTracks, tracks } from '../db/schema';
import { enrichmentPhases } from '../events/catalog';
import type { Tx } from '../events/event-log';
import { enqueueJob } from '../jobs/enqueue-job';
import { JOB_PRIORITY, type JobPriority } from '../jobs/job-priority';
import { emitJobStatus, type JobRow } from '../jobs/job-status-event';
import { NEEDS_ENRICHMENT } from '../jobs/job-tracks';
import type { Runtime } from '../runtime';

/** `priority`: interactive (a person is waiting) unless said otherwise, e.g. bulk for a scheduled refresh. */
export async function enqueuePlaylistEnrichment(
  tx: Tx,
  runtime: Runtime,
  workspaceId: string,
  playlistId: string,
  reason: string,
  priority: JobPriority = JOB_PRIORITY.interactive,
): Promise<string | null> {
  const [row] = await tx.db
    .select({ count: sql<number>`count(*)::int` })
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .where(and(eq(playlistTracks.playlistId, playlistId), inArray(tracks.enrichmentStatus, [...NEEDS_ENRICHMENT])));
  if (Number(row?.count ?? 0) === 0) return null;
  const { job } = await enqueueJob(tx, { workspaceId, playlistId, maxAttempts: runtime.config.JOB_MAX_ATTEMPTS, reason, priority });
  return job.id;
}

/**
 * The same for a batch of imported playlists whose track counts the caller knows: one insert of
 * bulk-priority jobs (phases 1-4) for those with tracks to enrich and no such job already active,
 * each with its job_status_changed. No job_queued activity row each: the playlist's own
 * "added" row says it.
 */
export async function enqueueImportedEnrichment(tx: Tx, runtime: Runtime, playlists: readonly { workspaceId: string; playlistId: string; needing: number }[]): Promise<Map<string, string>> {
  const jobIds = new Map<string, string>();
  const wanted = playlists.filter((playlist) => playlist.needing > 0);
  if (wanted.length === 0) return jobIds;
  // The advisory locks enqueueJob takes, in one order, so a hand-made enqueue of one of these waits for this one.
  const keys = wanted.map((playlist) => `enqueue:${playlist.workspaceId}:${playlist.playlistId}`).sort();
  await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(k)) FROM (VALUES ${sql.join(keys.map((key) => sql`(${key}::text)`), sql`, `)}) AS v(k)`);
  const active = await tx.db
    .select({ playlistId: enrichmentJobs.playlistId })
    .from(enrichmentJobs)
    .where(
      and(
        inArray(enrichmentJobs.playlistId, wanted.map((playlist) => playlist.playlistId)),
        eq(enrichmentJobs.kind, 'enrich'),
        inArray(enrichmentJobs.status, ['queued', 'running']),
        isNull(enrichmentJobs.trackIds),
      ),
    );
  const busy = new Set(active.map((job) => job.playlistId));
  const values = wanted
    .filter((playlist) => !busy.has(playlist.playlistId))
    .map((playlist) => ({
      workspaceId: playlist.workspaceId,
      playlistId: playlist.playlistId,
      phases: [...enrichmentPhases],
      priority: JOB_PRIORITY.bulk,
      maxAttempts: runtime.config.JOB_MAX_ATTEMPTS,
    }));
  if (values.length === 0) return jobIds;
  const jobs: JobRow[] = await tx.db.insert(enrichmentJobs).values(values).returning();
  for (const job of jobs) {
    emitJobStatus(tx, job, null);
    jobIds.set(job.playlistId!, job.id);
  }
  return jobIds;
}

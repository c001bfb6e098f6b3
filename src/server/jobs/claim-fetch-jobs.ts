/**
 * Claims up to `limit` due fetch jobs (phase 0) for a worker's fetch loop, in one statement:
 * interactive before bulk, then oldest due first. `FOR UPDATE SKIP LOCKED` lets workers in any
 * number of processes claim at once without waiting on or double-claiming each other's rows.
 * An import's fetch jobs publish no job_status_changed: the import's progress counts them, and a
 * failure shows on its row. Refresh jobs (no import: history/refresh-jobs.ts) are on the job
 * board, so their claim emits queued -> running in the claiming transaction.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import { claimedBy } from './claimed-by';
import { enrichmentJobs, playlists } from '../db/schema';
import type { EventLog, Tx } from '../events/event-log';
import { emitRefreshStatus, isRefreshJob } from '../history/refresh-jobs';
import type { PendingPlaylist } from '../playlists/store-fetched-playlists';
import type { JobRow } from './job-status-event';

export interface FetchJob {
  job: JobRow;
  playlist: PendingPlaylist;
}

export async function claimFetchJobs(log: EventLog, workerId: string, leaseMs: number, limit: number): Promise<FetchJob[]> {
  return log.transaction(async (tx) => {
    const claimed = await claimIn(tx.db, workerId, leaseMs, limit);
    for (const { job } of claimed) if (isRefreshJob(job)) emitRefreshStatus(tx, job, 'queued');
    return claimed;
  });
}

async function claimIn(db: Tx['db'], workerId: string, leaseMs: number, limit: number): Promise<FetchJob[]> {
  const due = db
    .select({ id: enrichmentJobs.id })
    .from(enrichmentJobs)
    .where(and(eq(enrichmentJobs.kind, 'fetch'), eq(enrichmentJobs.status, 'queued'), lte(enrichmentJobs.runAfter, sql`now()`)))
    .orderBy(asc(enrichmentJobs.priority), asc(enrichmentJobs.runAfter), asc(enrichmentJobs.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const jobs = await db
    .update(enrichmentJobs)
    .set({ ...claimedBy(workerId, leaseMs), phase: 0 })
    .where(inArray(enrichmentJobs.id, due))
    .returning();
  if (jobs.length === 0) return [];
  const found = await db
    .select({ id: playlists.id, workspaceId: playlists.workspaceId, spotifyId: playlists.spotifyId, name: playlists.name, tags: playlists.tags })
    .from(playlists)
    .where(inArray(playlists.id, jobs.map((job) => job.playlistId!)));
  const byId = new Map(found.map((row) => [row.id, row]));
  // Oldest first, as claimed (RETURNING keeps no order).
  jobs.sort((a, b) => a.priority - b.priority || a.runAfter.getTime() - b.runAfter.getTime() || a.createdAt.getTime() - b.createdAt.getTime());
  return jobs.filter((job) => byId.has(job.playlistId!)).map((job) => ({ job, playlist: byId.get(job.playlistId!)! }));
}

/**
 * The sweeper: a running job whose lease expired belongs to a worker that died or stalled. It is
 * re-queued at once (the crash is not the job's fault, but it still counts as an attempt, so a
 * job that kills its workers ends `failed` instead of looping). A fetch job is re-queued without
 * events (the import reports fetches); after its last attempt its playlist is removed and its
 * import row fails, like any fetch that failed for good.
 */
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { enrichmentJobs, playlists } from '../db/schema';
import type { EventLog } from '../events/event-log';
import { failRefreshAttempt, isRefreshJob } from '../history/refresh-jobs';
import { recordFetchOutcomes } from '../imports/record-fetch-outcomes';
import { removeUnfetchedPlaylists } from '../playlists/remove-unfetched-playlists';
import { failJobAttempt, type RetryPolicy } from './fail-job-attempt';
import { completeFetchJobs } from './fetch-job-transitions';

export const LEASE_EXPIRED_ERROR = 'The worker running this job stopped responding (its lease expired); the job was re-queued.';
export const FETCH_LEASE_EXPIRED_ERROR = 'The worker fetching this playlist stopped responding on every attempt; import the row again to add it.';

export async function sweepExpiredLeases(log: EventLog, policy: RetryPolicy, limit = 50): Promise<number> {
  return log.transaction(async (tx) => {
    const expired = await tx.db
      .select()
      .from(enrichmentJobs)
      .where(and(eq(enrichmentJobs.status, 'running'), lt(enrichmentJobs.leaseExpiresAt, sql`now()`)))
      .limit(limit)
      .for('update', { skipLocked: true });
    for (const job of expired) if (job.kind === 'enrich') await failJobAttempt(tx, job, LEASE_EXPIRED_ERROR, { ...policy, retryAtOnce: true });
    // A refresh job is on the job board: its re-queue (or its end) is an event like an enrichment job's.
    for (const job of expired) if (isRefreshJob(job)) await failRefreshAttempt(tx, job, LEASE_EXPIRED_ERROR, { ...policy, retryAtOnce: true });
    const fetches = expired.filter((job) => job.kind === 'fetch' && !isRefreshJob(job));
    const again = fetches.filter((job) => job.attempt < job.maxAttempts);
    if (again.length > 0) {
      await tx.db
        .update(enrichmentJobs)
        .set({ status: 'queued', runAfter: sql`now()`, leaseOwner: null, leaseExpiresAt: null, lastError: LEASE_EXPIRED_ERROR, updatedAt: sql`now()` })
        .where(inArray(enrichmentJobs.id, again.map((job) => job.id)));
    }
    const lost = fetches.filter((job) => job.attempt >= job.maxAttempts && job.playlistId);
    if (lost.length > 0) {
      const pending = await tx.db
        .select({ id: playlists.id, workspaceId: playlists.workspaceId, spotifyId: playlists.spotifyId, name: playlists.name, tags: playlists.tags })
        .from(playlists)
        .where(inArray(playlists.id, lost.map((job) => job.playlistId!)));
      const removed = await removeUnfetchedPlaylists(tx, pending.map((playlist) => ({ playlist, code: 'PROVIDER_FAILED' as const, message: FETCH_LEASE_EXPIRED_ERROR })));
      // One no longer pending was fetched by hand meanwhile: its job is done.
      await completeFetchJobs(tx.db, lost.filter((job) => !removed.has(job.playlistId!)).map((job) => job.id));
      for (const job of lost) {
        if (!job.importId) continue;
        const failed = removed.has(job.playlistId!) ? [{ playlistId: job.playlistId!, reason: FETCH_LEASE_EXPIRED_ERROR }] : [];
        await recordFetchOutcomes(tx, job.importId, { fetched: failed.length ? 0 : 1, failed });
      }
    }
    return expired.length;
  });
}

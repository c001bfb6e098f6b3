/**
 * Track claims: which job is enriching a track now, so that no two jobs ever enrich one track at
 * once, whichever process runs them (tracks.enriching_job_id).
 *
 * - A job claims a batch's tracks in the transaction that starts enriching them. A claim holds
 *   while its job is `running`: a job that completed, failed, was cancelled, handed back or swept
 *   holds nothing, whatever the column still says, so a dead worker's claims lapse with its lease.
 * - A job also leaves a track alone that is already done for it: `completed` after the job was
 *   asked for (someone did what it was asked to do), or, for a job nobody asked for by hand
 *   (`force` false), `completed` within TRACK_FRESHNESS_MS. Either way the track is skipped and
 *   counted in the job's tracks_skipped.
 * - Rows are locked in id order before they are claimed or released: two jobs whose playlists share
 *   tracks wait for each other instead of deadlocking (track-transitions.ts locks in the same order).
 */
import { and, asc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { enrichmentJobs, tracks, type TrackStatus } from '../db/schema';
import type { Tx } from '../events/event-log';
import type { JobRow } from '../jobs/job-status-event';

/** The claim on the row belongs to no running job. */
const claimLapsed = sql`NOT EXISTS (SELECT 1 FROM ${enrichmentJobs} holder WHERE holder.id = ${tracks.enrichingJobId} AND holder.status = 'running')`;

/** Tracks `jobId` may work on: unclaimed, claimed by it, or claimed by a job no longer running. */
function claimableBy(jobId: string) {
  return or(isNull(tracks.enrichingJobId), eq(tracks.enrichingJobId, jobId), claimLapsed);
}

/** Tracks already done for the job (see the file's comment); compared in database time, as created_at and enriched_at are written. */
function doneFor(job: Pick<JobRow, 'id' | 'force'>, freshnessMs: number) {
  const askedAt = sql`(SELECT created_at FROM ${enrichmentJobs} WHERE id = ${job.id})`;
  const fresh = job.force ? sql`false` : sql`${tracks.enrichedAt} > now() - ${freshnessMs} * interval '1 millisecond'`;
  return sql`(${tracks.enrichmentStatus} = 'completed' AND ${tracks.enrichedAt} IS NOT NULL AND (${tracks.enrichedAt} >= ${askedAt} OR ${fresh}))`;
}

/** Locks the rows in id order (the deadlock rule in the file's comment); returns the ids found. */
async function lockInOrder(db: Executor, workspaceId: string, trackIds: readonly string[]): Promise<string[]> {
  if (trackIds.length === 0) return [];
  const locked = await db
    .select({ id: tracks.id })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, workspaceId), inArray(tracks.id, [...trackIds])))
    .orderBy(asc(tracks.id))
    .for('no key update');
  return locked.map((row) => row.id);
}

/**
 * Claims those of `trackIds` the job may enrich, in the caller's transaction (which must hold the
 * job's lease, so the claim starts while the job is running). Returns the claimed tracks with
 * their status at the claim; the rest are the job's to skip.
 */
export async function claimTracks(
  tx: Tx,
  job: Pick<JobRow, 'id' | 'workspaceId' | 'force'>,
  trackIds: readonly string[],
  freshnessMs: number,
): Promise<Map<string, TrackStatus>> {
  const ids = await lockInOrder(tx.db, job.workspaceId, trackIds);
  if (ids.length === 0) return new Map();
  const claimed = await tx.db
    .update(tracks)
    .set({ enrichingJobId: job.id })
    .where(and(inArray(tracks.id, ids), claimableBy(job.id), sql`NOT ${doneFor(job, freshnessMs)}`))
    .returning({ id: tracks.id, status: tracks.enrichmentStatus });
  return new Map(claimed.map((row) => [row.id, row.status]));
}

/** Releases the job's claims on these tracks (they finished: completed or failed). */
export async function releaseTrackClaims(tx: Tx, job: Pick<JobRow, 'id' | 'workspaceId'>, trackIds: readonly string[]): Promise<void> {
  const ids = await lockInOrder(tx.db, job.workspaceId, trackIds);
  if (ids.length === 0) return;
  await tx.db
    .update(tracks)
    .set({ enrichingJobId: null })
    .where(and(inArray(tracks.id, ids), eq(tracks.enrichingJobId, job.id)));
}

/** Releases every claim the job holds (it completed, failed, was cancelled or handed back). */
export async function releaseJobClaims(tx: Tx, job: Pick<JobRow, 'id' | 'workspaceId'>): Promise<void> {
  const held = await tx.db
    .select({ id: tracks.id })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, job.workspaceId), eq(tracks.enrichingJobId, job.id)));
  await releaseTrackClaims(tx, job, held.map((row) => row.id));
}

/**
 * Those of `trackIds` no other running job holds: the ones a job that ends may settle (put back to
 * pending on cancel, mark failed on its final failure). A track another job is enriching is that
 * job's to finish; moving it would show its subscribers a status going backwards.
 */
export async function tracksNotHeldByOthers(db: Executor, job: Pick<JobRow, 'id' | 'workspaceId'>, trackIds: readonly string[]): Promise<string[]> {
  if (trackIds.length === 0) return [];
  const free = await db
    .select({ id: tracks.id })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, job.workspaceId), inArray(tracks.id, [...trackIds]), or(isNull(tracks.enrichingJobId), eq(tracks.enrichingJobId, job.id), claimLapsed)));
  return free.map((row) => row.id);
}

/** The running job (other than `exceptJobId`) that holds the track now, if any. */
export async function runningHolderOf(db: Executor, trackId: string, exceptJobId?: string): Promise<string | null> {
  const [held] = await db
    .select({ jobId: enrichmentJobs.id })
    .from(tracks)
    .innerJoin(enrichmentJobs, eq(enrichmentJobs.id, tracks.enrichingJobId))
    .where(and(eq(tracks.id, trackId), eq(enrichmentJobs.status, 'running'), exceptJobId ? ne(enrichmentJobs.id, exceptJobId) : undefined));
  return held?.jobId ?? null;
}

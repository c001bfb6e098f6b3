/**
 * Re-enriches many tracks (the explorer's selection) with one job over exactly those tracks. As
 * for one track (reenrich-track.ts): a person asked, so the job is `force`, idempotent while such
 * a job is active, and each completed or failed track starts its new run at once (-> pending).
 * Unlike it, a track being enriched right now does not refuse the request: it is left to the job
 * enriching it, and this job skips it (tracks/track-claims.ts).
 *
 * All or nothing: an id that is not a track of this workspace refuses the request.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { enrichmentJobs, tracks } from '~/server/db/schema';
import { enqueueJob } from '~/server/jobs/enqueue-job';
import type { Runtime } from '~/server/runtime';
import { missingTracksMessage } from './missing-tracks';
import { TrackError } from './track-error';
import { describePhases, plural, recordTrackHistory } from './track-history';
import { applyTrackChanges } from './track-transitions';

// applyTrackChanges writes a batch in one UPDATE of ~25 parameters a track: chunks keep it under
// Postgres's 65,535.
const TRANSITION_CHUNK = 1000;

export interface ReenrichTracksInput {
  trackIds: readonly string[];
  /** Phases to run; omitted runs the job's default set. */
  phases?: readonly number[];
  /** The person asking; null for an API key. */
  by: string | null;
}

export function reenrichTracks(runtime: Runtime, workspaceId: string, input: ReenrichTracksInput): Promise<{ jobId: string; created: boolean }> {
  const ids = [...new Set(input.trackIds)].sort();
  return runtime.log.transaction(async (tx) => {
    const found = await tx.db
      .select({ id: tracks.id, status: tracks.enrichmentStatus, claim: tracks.enrichingJobId })
      .from(tracks)
      .where(and(eq(tracks.workspaceId, workspaceId), sql`${tracks.id} = ANY(${sql.param(ids)}::text[])`))
      // Id order and NO KEY UPDATE, as track-transitions.ts locks: no deadlock with a running job.
      .orderBy(asc(tracks.id))
      .for('no key update');
    const missing = missingTracksMessage(ids, found, 'nothing was queued');
    if (missing) throw new TrackError('TRACK_NOT_FOUND', missing);
    const phases = input.phases ? [...new Set(input.phases)].sort() : undefined;
    const { job, created } = await enqueueJob(tx, {
      workspaceId,
      playlistId: null,
      trackIds: ids,
      phases,
      maxAttempts: runtime.config.JOB_MAX_ATTEMPTS,
      reason: `re-enrich ${plural(ids.length, 'track')}`,
      force: true,
    });
    if (!created) return { jobId: job.id, created };

    const claims = [...new Set(found.map((row) => row.claim).filter((claim): claim is string => claim !== null))];
    const running = claims.length
      ? new Set((await tx.db.select({ id: enrichmentJobs.id }).from(enrichmentJobs).where(and(inArray(enrichmentJobs.id, claims), eq(enrichmentJobs.status, 'running')))).map((row) => row.id))
      : new Set<string>();
    const restart = found
      .filter((row) => (row.status === 'completed' || row.status === 'failed') && !(row.claim && running.has(row.claim)))
      .map((row) => ({ trackId: row.id, to: 'pending' as const }));
    for (let i = 0; i < restart.length; i += TRANSITION_CHUNK) {
      await applyTrackChanges(tx, { workspaceId, jobId: job.id, playlistId: null }, restart.slice(i, i + TRANSITION_CHUNK));
    }
    const message = `Re-enrichment requested (${describePhases(phases ?? job.phases)}).`;
    await recordTrackHistory(tx.db, workspaceId, ids.map((trackId) => ({ trackId, kind: 'reenrich_requested', message, jobId: job.id, by: input.by })));
    return { jobId: job.id, created };
  });
}

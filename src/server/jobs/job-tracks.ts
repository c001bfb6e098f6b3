/** Which tracks a job works on. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { playlistTracks, tracks, type TrackStatus } from '../db/schema';
import type { JobRow } from './job-status-event';

/** Tracks that still need enrichment: never done, interrupted, or failed before. */
export const NEEDS_ENRICHMENT: readonly TrackStatus[] = ['pending', 'enriching', 'failed'];

/** The job's chosen tracks (re-enrich), or its playlist's tracks that need enrichment, in playlist order. */
export async function jobTargetTracks(db: Executor, job: Pick<JobRow, 'workspaceId' | 'playlistId' | 'trackIds'>) {
  if (job.trackIds) {
    if (job.trackIds.length === 0) return [];
    return db
      .select()
      .from(tracks)
      .where(and(eq(tracks.workspaceId, job.workspaceId), inArray(tracks.id, job.trackIds)))
      .orderBy(asc(tracks.createdAt), asc(tracks.id));
  }
  if (!job.playlistId) return [];
  const found = await db
    .select({ track: tracks })
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .where(and(eq(playlistTracks.playlistId, job.playlistId), inArray(tracks.enrichmentStatus, [...NEEDS_ENRICHMENT])))
    .orderBy(asc(playlistTracks.position));
  return found.map((row) => row.track);
}

/** Every track id the job could have touched (for settling them on cancel or final failure). */
export async function jobTrackIds(db: Executor, job: Pick<JobRow, 'workspaceId' | 'playlistId' | 'trackIds'>): Promise<string[]> {
  if (job.trackIds) return job.trackIds;
  if (!job.playlistId) return [];
  const found = await db.select({ id: playlistTracks.trackId }).from(playlistTracks).where(eq(playlistTracks.playlistId, job.playlistId));
  return found.map((row) => row.id);
}

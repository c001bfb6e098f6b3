/** The dashboard's numbers for one workspace, computed from the state tables. */
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { enrichmentJobs, jobStatuses, playlists, tracks, trackStatuses, type JobStatus, type TrackStatus } from '../db/schema';

export interface Analytics {
  playlists: number;
  tracks: number;
  tracksByStatus: Record<TrackStatus, number>;
  jobsByStatus: Record<JobStatus, number>;
  totalFollowers: number;
  totalStreams: number;
  topLabels: { label: string; tracks: number }[];
}

export async function computeAnalytics(db: Executor, workspaceId: string): Promise<Analytics> {
  const [playlistRow] = await db
    .select({ count: sql<number>`count(*)::int`, followers: sql<number>`coalesce(sum(${playlists.followers}), 0)::float8` })
    .from(playlists)
    .where(eq(playlists.workspaceId, workspaceId));
  const trackRows = await db
    .select({ status: tracks.enrichmentStatus, count: sql<number>`count(*)::int`, streams: sql<number>`coalesce(sum(${tracks.streams}), 0)::float8` })
    .from(tracks)
    .where(eq(tracks.workspaceId, workspaceId))
    .groupBy(tracks.enrichmentStatus);
  const jobRows = await db
    .select({ status: enrichmentJobs.status, count: sql<number>`count(*)::int` })
    .from(enrichmentJobs)
    .where(eq(enrichmentJobs.workspaceId, workspaceId))
    .groupBy(enrichmentJobs.status);
  const labelRows = await db
    .select({ label: tracks.label, count: sql<number>`count(*)::int` })
    .from(tracks)
    .where(and(eq(tracks.workspaceId, workspaceId), isNotNull(tracks.label)))
    .groupBy(tracks.label)
    .orderBy(desc(sql`count(*)`), tracks.label)
    .limit(10);

  const tracksByStatus = Object.fromEntries(trackStatuses.map((s) => [s, 0])) as Record<TrackStatus, number>;
  let trackTotal = 0;
  let totalStreams = 0;
  for (const row of trackRows) {
    tracksByStatus[row.status] = Number(row.count);
    trackTotal += Number(row.count);
    totalStreams += Number(row.streams);
  }
  const jobsByStatus = Object.fromEntries(jobStatuses.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of jobRows) jobsByStatus[row.status] = Number(row.count);
  return {
    playlists: Number(playlistRow?.count ?? 0),
    tracks: trackTotal,
    tracksByStatus,
    jobsByStatus,
    totalFollowers: Number(playlistRow?.followers ?? 0),
    totalStreams,
    topLabels: labelRows.map((row) => ({ label: row.label!, tracks: Number(row.count) })),
  };
}

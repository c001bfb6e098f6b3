/** A playlist's metrics from its tracks: count, enriched share, failures, popularity, streams. */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { playlistTracks, tracks, type PlaylistMetrics } from '../db/schema';

export async function computePlaylistMetrics(db: Executor, playlistId: string): Promise<PlaylistMetrics> {
  const [row] = await db
    .select({
      trackCount: sql<number>`count(*)::int`,
      enriched: sql<number>`count(*) filter (where ${tracks.enrichmentStatus} = 'completed')::int`,
      failed: sql<number>`count(*) filter (where ${tracks.enrichmentStatus} = 'failed')::int`,
      averagePopularity: sql<number | null>`avg(${tracks.popularity})::float8`,
      totalStreams: sql<number>`coalesce(sum(${tracks.streams}), 0)::float8`,
    })
    .from(playlistTracks)
    .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
    .where(eq(playlistTracks.playlistId, playlistId));
  const trackCount = Number(row?.trackCount ?? 0);
  const enriched = Number(row?.enriched ?? 0);
  const average = row?.averagePopularity == null ? null : Math.round(Number(row.averagePopularity) * 10) / 10;
  return {
    trackCount,
    enriched,
    failed: Number(row?.failed ?? 0),
    enrichedShare: trackCount === 0 ? 0 : enriched / trackCount,
    averagePopularity: average,
    totalStreams: Number(row?.totalStreams ?? 0),
  };
}

/** A playlist's metrics from its tracks: count, enriched share, failures, popularity, streams. */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { playlistTracks, tracks, type PlaylistMetrics } from '../db/schema';

export async function computePlaylistMetrics(db: Executor, playlistId: string): Promise<PlaylistMetrics> {
  return (await computePlaylistsMetrics(db, [playlistId])).get(playlistId)!;
}

/** The metrics of many playlists in one grouped query (a batch of imported playlists); a playlist with no tracks gets zeros. */
export async function computePlaylistsMetrics(db: Executor, playlistIds: readonly string[]): Promise<Map<string, PlaylistMetrics>> {
  const found = playlistIds.length
    ? await db
        .select({
          playlistId: playlistTracks.playlistId,
          trackCount: sql<number>`count(*)::int`,
          enriched: sql<number>`count(*) filter (where ${tracks.enrichmentStatus} = 'completed')::int`,
          failed: sql<number>`count(*) filter (where ${tracks.enrichmentStatus} = 'failed')::int`,
          averagePopularity: sql<number | null>`avg(${tracks.popularity})::float8`,
          totalStreams: sql<number>`coalesce(sum(${tracks.streams}), 0)::float8`,
        })
        .from(playlistTracks)
        .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
        .where(playlistIds.length === 1 ? eq(playlistTracks.playlistId, playlistIds[0]!) : inArray(playlistTracks.playlistId, [...playlistIds]))
        .groupBy(playlistTracks.playlistId)
    : [];
  const byId = new Map(found.map((row) => [row.playlistId, row]));
  return new Map(
    playlistIds.map((playlistId) => {
      const row = byId.get(playlistId);
      const trackCount = Number(row?.trackCount ?? 0);
      const enriched = Number(row?.enriched ?? 0);
      const average = row?.averagePopularity == null ? null : Math.round(Number(row.averagePopularity) * 10) / 10;
      const metrics: PlaylistMetrics = {
        trackCount,
        enriched,
        failed: Number(row?.failed ?? 0),
        enrichedShare: trackCount === 0 ? 0 : enriched / trackCount,
        averagePopularity: average,
        totalStreams: Number(row?.totalStreams ?? 0),
      };
      return [playlistId, metrics];
    }),
  );
}

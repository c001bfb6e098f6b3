/**
 * Recomputes a playlist's metrics, stores them on the playlist (so a snapshot has them) and
 * publishes metric_update. The catalog throttles it to one per second per playlist per
 * subscriber, always delivering the latest value, so calling this after every batch is fine.
 */
import { and, eq } from 'drizzle-orm';
import { playlists, type PlaylistMetrics } from '../db/schema';
import type { Runtime } from '../runtime';
import { computePlaylistMetrics } from './compute-playlist-metrics';

export async function recomputePlaylistMetrics(runtime: Runtime, workspaceId: string, playlistId: string): Promise<PlaylistMetrics | null> {
  const metrics = await computePlaylistMetrics(runtime.db, playlistId);
  const updated = await runtime.db
    .update(playlists)
    .set({ metrics })
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)))
    .returning({ id: playlists.id });
  if (updated.length === 0) return null; // removed meanwhile
  runtime.log.publish({ type: 'metric_update', workspaceId, keys: { playlistId }, data: { playlistId, metrics } });
  return metrics;
}

/**
 * The follower poller: asks the catalog for each playlist's followers, records a metric snapshot
 * and publishes follower_count_changed only when the number changed.
 */
import { asc, eq } from 'drizzle-orm';
import { playlistMetricSnapshots, playlists } from '../db/schema';
import { log } from '../log';
import type { Runtime } from '../runtime';

export async function pollFollowersOnce(runtime: Runtime, signal?: AbortSignal): Promise<number> {
  const all = await runtime.db
    .select({ id: playlists.id, workspaceId: playlists.workspaceId, spotifyId: playlists.spotifyId, followers: playlists.followers, metrics: playlists.metrics })
    .from(playlists)
    .orderBy(asc(playlists.createdAt));
  let changed = 0;
  for (const playlist of all) {
    if (signal?.aborted) break;
    let followers: number | null;
    try {
      followers = await runtime.providers.catalog.getPlaylistFollowers(playlist.spotifyId, signal);
    } catch (error) {
      log.debug({ err: error, playlistId: playlist.id }, 'follower poll failed for one playlist');
      continue;
    }
    if (followers == null || followers === playlist.followers) continue;
    await runtime.db.transaction(async (db) => {
      await db.update(playlists).set({ followers }).where(eq(playlists.id, playlist.id));
      await db.insert(playlistMetricSnapshots).values({ workspaceId: playlist.workspaceId, playlistId: playlist.id, followers, metrics: playlist.metrics });
    });
    runtime.log.publish({
      type: 'follower_count_changed',
      workspaceId: playlist.workspaceId,
      keys: { playlistId: playlist.id },
      data: { playlistId: playlist.id, previous: playlist.followers, followers },
    });
    changed++;
  }
  return changed;
}

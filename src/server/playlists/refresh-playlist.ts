/**
 * Refreshes a tracked playlist: fetch it again, store what changed (playlist_updated carries only
 * the changed fields), replace its track list as a diff (the added and dropped tracks are recorded
 * for the weekly history, with a playlist_tracks_changed), and enqueue enrichment for tracks that
 * need it. A failed fetch records a playlist_error and leaves the stored playlist as it was.
 *
 * A person's refresh (`playlists.refresh`) runs here at once; a scheduled one is a refresh job on
 * the queue whose fetch loop stores what it fetched through `storeRefreshedPlaylist` below.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { toDto } from '../db/dto';
import { playlistMetricSnapshots, playlists } from '../db/schema';
import type { Tx } from '../events/event-log';
import { JOB_PRIORITY, type JobPriority } from '../jobs/job-priority';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import type { CatalogPlaylist } from '../providers/types';
import type { Runtime } from '../runtime';
import { enqueuePlaylistEnrichment } from './enqueue-playlist-enrichment';
import { fetchPlaylist } from './fetch-playlist';
import { PlaylistError, PlaylistMissingError } from './playlist-error';
import type { PlaylistDto } from './queries';
import { reportPlaylistError } from './report-playlist-error';
import { syncPlaylistTracks, type SyncedTracks } from './sync-playlist-tracks';

type PlaylistRow = typeof playlists.$inferSelect;

export async function refreshPlaylist(runtime: Runtime, workspaceId: string, playlistId: string): Promise<{ playlist: PlaylistDto; jobId: string | null }> {
  const current = await findPlaylist(runtime.db, workspaceId, playlistId);
  if (!current) throw new PlaylistMissingError(playlistId);

  let fetched;
  try {
    fetched = await fetchPlaylist(runtime, current.spotifyId);
  } catch (error) {
    if (error instanceof PlaylistError) await reportPlaylistError(runtime, workspaceId, error, { playlistId, spotifyId: current.spotifyId, input: null });
    throw error;
  }

  const result = await runtime.log.transaction(async (tx) => {
    // Read again under lock: a scheduled refresh may have stored a newer fetch meanwhile.
    const locked = await findPlaylist(tx.db, workspaceId, playlistId, true);
    if (!locked) throw new PlaylistMissingError(playlistId);
    const { stored, jobId } = await storeRefreshedPlaylist(tx, runtime, locked, fetched, { reason: 'playlist refreshed', priority: JOB_PRIORITY.interactive });
    return { playlist: toDto(stored), jobId };
  });
  await recomputePlaylistMetrics(runtime, workspaceId, playlistId).catch(() => {});
  return result;
}

export interface RefreshOptions {
  /** Why, for the enrichment job's activity row ("playlist refreshed", "scheduled refresh"). */
  reason: string;
  /** The enrichment job's priority: a person's refresh is interactive, a scheduled one bulk. */
  priority: JobPriority;
}

/**
 * Stores a fetch of a tracked playlist in the caller's transaction (`current` read there, locked):
 * its membership as a diff, its changed metadata with a playlist_updated, a follower snapshot when
 * the count moved, an activity row, and enrichment queued for tracks that need it.
 */
export async function storeRefreshedPlaylist(
  tx: Tx,
  runtime: Runtime,
  current: PlaylistRow,
  fetched: CatalogPlaylist,
  opts: RefreshOptions,
): Promise<{ stored: PlaylistRow; synced: SyncedTracks; jobId: string | null }> {
  const { workspaceId, id: playlistId } = current;
  const synced = await syncPlaylistTracks(tx, workspaceId, playlistId, fetched.tracks);
  const next = {
    // A restricted playlist's fallback has no metadata: keep what we had.
    name: fetched.name || current.name,
    curator: fetched.curator ?? current.curator,
    description: fetched.description ?? current.description,
    imageUrl: fetched.imageUrl ?? current.imageUrl,
    followers: fetched.followers ?? current.followers,
    trackCount: synced.trackCount,
    // Fetched now, whatever an import's queue still meant to do (its fetch leaves it alone).
    fetchStatus: 'fetched' as const,
  };
  const changes: Record<string, unknown> = Object.fromEntries(Object.entries(next).filter(([key, value]) => current[key as keyof typeof next] !== value));
  if (current.lastErrorCode) Object.assign(changes, { lastErrorCode: null, lastErrorMessage: null });
  const [stored] = await tx.db
    .update(playlists)
    .set({ ...next, lastErrorCode: null, lastErrorMessage: null, lastFetchedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(playlists.id, playlistId))
    .returning();
  if (Object.keys(changes).length > 0) {
    tx.emit({ type: 'playlist_updated', workspaceId, keys: { playlistId }, data: { playlistId, spotifyId: current.spotifyId, changes, removed: false } });
  }
  // The weekly history's follower line reads the snapshots; the poller writes one when it sees a change, so does a refresh.
  if (next.followers !== null && next.followers !== current.followers) {
    await tx.db.insert(playlistMetricSnapshots).values({ workspaceId, playlistId, followers: next.followers, metrics: current.metrics });
  }
  const moved = synced.added.length + synced.dropped.length > 0 ? `: ${synced.added.length} added, ${synced.dropped.length} dropped` : '';
  await logActivity(tx, { workspaceId, kind: 'playlist_refreshed', message: `Refreshed playlist "${stored!.name}" (${synced.trackCount} tracks${moved}).`, keys: { playlistId } });
  const jobId = await enqueuePlaylistEnrichment(tx, runtime, workspaceId, playlistId, opts.reason, opts.priority);
  return { stored: stored!, synced, jobId };
}

async function findPlaylist(db: Runtime['db'] | Tx['db'], workspaceId: string, playlistId: string, lock = false): Promise<PlaylistRow | null> {
  const query = db
    .select()
    .from(playlists)
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)));
  const [row] = lock ? await query.for('no key update') : await query;
  return row ?? null;
}

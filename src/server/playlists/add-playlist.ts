/**
 * Adds a playlist to a workspace: fetch its metadata and tracks from the catalog, store the
 * playlist, its tracks (shared across playlists) and membership, log the activity, and enqueue an
 * enrichment job for the tracks that need one, all in one transaction with its events.
 * An already-tracked playlist is returned as it is (created: false) without fetching it again;
 * one an import is still waiting to fetch has its fetch moved ahead of the import's other
 * fetches (someone is looking at it now).
 */
import { and, eq } from 'drizzle-orm';
import { logActivity } from '../activity/log-activity';
import { toDto } from '../db/dto';
import { playlists } from '../db/schema';
import { recomputePlaylistMetrics } from '../metrics/recompute-playlist-metrics';
import { prioritizeFetch } from '../jobs/fetch-job-transitions';
import type { Runtime } from '../runtime';
import { normalizeTags } from './add-pending-playlists';
import { fetchPlaylist } from './fetch-playlist';
import { enqueuePlaylistEnrichment } from './enqueue-playlist-enrichment';
import { PlaylistError } from './playlist-error';
import { parsePlaylistRef } from './playlist-ref';
import type { PlaylistDto } from './queries';
import { reportPlaylistError } from './report-playlist-error';
import { syncPlaylistTracks } from './sync-playlist-tracks';

export interface AddPlaylistInput {
  url: string;
  name?: string;
  tags?: string[];
}

export async function addPlaylist(
  runtime: Runtime,
  workspaceId: string,
  input: AddPlaylistInput,
): Promise<{ playlist: PlaylistDto; created: boolean; jobId: string | null }> {
  const spotifyId = parsePlaylistRef(input.url);
  if (!spotifyId) {
    const error = new PlaylistError(
      'INVALID_PLAYLIST_REF',
      `"${truncate(input.url)}" is not a Spotify playlist: paste a link like https://open.spotify.com/playlist/<id>, a URI like spotify:playlist:<id>, or the 22-character id.`,
    );
    await reportPlaylistError(runtime, workspaceId, error, { playlistId: null, spotifyId: null, input: truncate(input.url) });
    throw error;
  }

  const existing = await findBySpotifyId(runtime, workspaceId, spotifyId);
  if (existing) {
    if (existing.fetchStatus === 'pending') await prioritizeFetch(runtime.db, existing.id);
    return { playlist: toDto(existing), created: false, jobId: null };
  }

  let fetched;
  try {
    fetched = await fetchPlaylist(runtime, spotifyId);
  } catch (error) {
    if (error instanceof PlaylistError) await reportPlaylistError(runtime, workspaceId, error, { playlistId: null, spotifyId, input: truncate(input.url) });
    throw error;
  }

  const result = await runtime.log.transaction(async (tx) => {
    const [row] = await tx.db
      .insert(playlists)
      .values({
        workspaceId,
        spotifyId,
        name: input.name?.trim() || fetched.name || spotifyId,
        curator: fetched.curator,
        description: fetched.description,
        imageUrl: fetched.imageUrl,
        followers: fetched.followers,
        tags: normalizeTags(input.tags),
        lastFetchedAt: new Date(),
      })
      .onConflictDoNothing({ target: [playlists.workspaceId, playlists.spotifyId] })
      .returning();
    if (!row) return null; // added concurrently (another import row, another tab): theirs wins
    const { trackCount } = await syncPlaylistTracks(tx, workspaceId, row.id, fetched.tracks);
    const [stored] = await tx.db.update(playlists).set({ trackCount }).where(eq(playlists.id, row.id)).returning();
    tx.emit({
      type: 'playlist_updated',
      workspaceId,
      keys: { playlistId: row.id },
      data: {
        playlistId: row.id,
        spotifyId,
        changes: { name: stored!.name, curator: stored!.curator, description: stored!.description, imageUrl: stored!.imageUrl, followers: stored!.followers, trackCount, tags: stored!.tags },
        removed: false,
      },
    });
    await logActivity(tx, { workspaceId, kind: 'playlist_added', message: `Added playlist "${stored!.name}" (${trackCount} tracks).`, keys: { playlistId: row.id } });
    const jobId = await enqueuePlaylistEnrichment(tx, runtime, workspaceId, row.id, 'playlist added');
    return { playlist: toDto(stored!), jobId };
  });

  if (!result) {
    const raced = await findBySpotifyId(runtime, workspaceId, spotifyId);
    return { playlist: toDto(raced!), created: false, jobId: null };
  }
  await recomputePlaylistMetrics(runtime, workspaceId, result.playlist.id).catch(() => {});
  return { ...result, created: true };
}

async function findBySpotifyId(runtime: Runtime, workspaceId: string, spotifyId: string) {
  const [row] = await runtime.db
    .select()
    .from(playlists)
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.spotifyId, spotifyId)));
  return row ?? null;
}

function truncate(value: string): string {
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

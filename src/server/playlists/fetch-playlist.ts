/**
 * Fetches a playlist from the catalog provider. A restricted playlist (Spotify development-mode
 * rules since February 2026) falls back to the stats provider's track list where one exists;
 * every other failure becomes a PlaylistError with a code and a sentence.
 */
import { callProvider } from '../enrichment/call-provider';
import type { Runtime } from '../runtime';
import { RestrictedPlaylistError } from '../providers/restricted-playlist-error';
import { ProviderError, type CatalogPlaylist } from '../providers/types';
import { PlaylistError } from './playlist-error';

export async function fetchPlaylist(runtime: Runtime, spotifyId: string, signal?: AbortSignal): Promise<CatalogPlaylist> {
  const { providers, config } = runtime;
  const retry = { attempts: config.PROVIDER_CALL_ATTEMPTS, baseMs: config.PROVIDER_RETRY_BASE_MS, signal };
  try {
    return await callProvider(() => providers.catalog.getPlaylist(spotifyId, signal), retry);
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'RESTRICTED') {
      const fallback = providers.stats.getPlaylistTracks
        ? await callProvider(() => providers.stats.getPlaylistTracks!(spotifyId, signal), retry).catch(() => null)
        : null;
      if (fallback) {
        // The Spotify client hands over the metadata it could read; the demo catalog has none.
        const readable = error instanceof RestrictedPlaylistError ? error.playlist : null;
        return { spotifyId, name: '', curator: null, description: null, imageUrl: null, followers: null, ...readable, tracks: fallback };
      }
      throw new PlaylistError(
        'PLAYLIST_RESTRICTED',
        `${error.message} No configured stats provider lists its tracks either; ask its owner to add your account as a collaborator.`,
        { cause: error },
      );
    }
    if (error instanceof ProviderError && error.code === 'NOT_FOUND') {
      throw new PlaylistError('PLAYLIST_NOT_FOUND', `Playlist ${spotifyId} was not found in the catalog: check the link, or whether the playlist was deleted or made private.`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new PlaylistError('PROVIDER_FAILED', `Could not fetch playlist ${spotifyId}: ${reason} Try again in a minute.`, { cause: error });
  }
}

/**
 * A playlist with its tracks, from the catalog or, when the catalog may show the playlist but not
 * its tracks (RESTRICTED), from the stats provider's track list. Without a fallback, or when the
 * fallback does not know the playlist either, the RESTRICTED error stands: its sentence tells a
 * person why and what to do.
 */
import { RestrictedPlaylistError } from './restricted-playlist-error';
import type { CatalogPlaylist, Providers } from './types';

export async function fetchPlaylistWithFallback(
  providers: Pick<Providers, 'catalog' | 'stats'>,
  spotifyId: string,
  signal?: AbortSignal,
): Promise<CatalogPlaylist & { trackSource: string }> {
  try {
    const playlist = await providers.catalog.getPlaylist(spotifyId, signal);
    return { ...playlist, trackSource: providers.catalog.name };
  } catch (error) {
    if (!(error instanceof RestrictedPlaylistError) || !providers.stats.getPlaylistTracks) throw error;
    const tracks = await providers.stats.getPlaylistTracks(spotifyId, signal);
    if (!tracks) throw error;
    return { ...error.playlist, tracks, trackSource: providers.stats.name };
  }
}

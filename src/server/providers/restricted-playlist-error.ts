/**
 * A playlist the catalog may describe but whose tracks it may not list (Spotify development-mode
 * rules since February 2026). It carries the metadata that was readable, so a caller that finds
 * the track list elsewhere (the stats provider) loses nothing.
 */
import { ProviderError, type CatalogPlaylist } from './types';

export class RestrictedPlaylistError extends ProviderError {
  constructor(readonly playlist: CatalogPlaylist) {
    super(
      'spotify',
      'RESTRICTED',
      `Spotify shows playlist "${playlist.name}" but not its tracks to this app: since February 2026 an app in development mode may only list the tracks of playlists its own user owns or collaborates on. Use a playlist you own or collaborate on, move the app to extended quota, or set CHARTMETRIC_REFRESH_TOKEN so the track list comes from Chartmetric.`,
      { retryable: false },
    );
    this.name = 'RestrictedPlaylistError';
  }
}

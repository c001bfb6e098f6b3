/**
 * Why a playlist could not be added or refreshed. `code` is what callers branch on (the API maps
 * it to BAD_REQUEST / NOT_FOUND / ...); the message is a sentence a person can act on. The same
 * code and message travel in the playlist_error event.
 */
export type PlaylistErrorCode =
  | 'INVALID_PLAYLIST_REF' // not a Spotify playlist link, URI or id
  | 'PLAYLIST_NOT_FOUND' // the catalog does not know it
  | 'PLAYLIST_RESTRICTED' // it exists, but its tracks may not be read (and no fallback lists them)
  | 'PROVIDER_FAILED'; // the catalog timed out, was down, or answered garbage

export class PlaylistError extends Error {
  constructor(
    readonly code: PlaylistErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'PlaylistError';
  }
}

/** A playlist id that is not tracked in the workspace (refresh, remove). */
export class PlaylistMissingError extends Error {
  readonly code = 'PLAYLIST_NOT_TRACKED' as const;
  constructor(playlistId: string) {
    super(`Playlist ${playlistId} was not found in this workspace.`);
    this.name = 'PlaylistMissingError';
  }
}

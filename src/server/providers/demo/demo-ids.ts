/**
 * Which ids the demo catalog knows. Every well-formed 22-character Spotify id gets a deterministic
 * playlist, so any pasted id "works" offline; a few readable prefixes make the failure paths
 * reachable by hand and in tests.
 */

/** `DemoPlaylist0000000001`: the demo playlists the samples and fixtures use (22 chars, base62). */
export function demoPlaylistId(n: number): string {
  return `DemoPlaylist${String(n).padStart(10, '0')}`;
}

export function demoTrackId(n: number): string {
  return `DemoTrack${String(n).padStart(13, '0')}`;
}

/** A playlist id starting with this does not exist (NOT_FOUND). */
export const DEMO_MISSING_PREFIX = 'DemoMissing';
/** Restricted for the catalog (Spotify development-mode rules), but the stats provider lists its tracks. */
export const DEMO_PRIVATE_PREFIX = 'DemoPrivate';
/** Restricted, and no provider lists its tracks. */
export const DEMO_LOCKED_PREFIX = 'DemoLocked';

/** How many distinct demo tracks exist; playlists draw from this pool so they share tracks. */
export const DEMO_TRACK_POOL = 4000;

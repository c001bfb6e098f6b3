/**
 * The four provider interfaces the enrichment phases call. Each has sibling implementations:
 * the demo catalog (default, offline, deterministic per id) and a real API client (Spotify,
 * MusicBrainz, Chartmetric, The MLC) that switches on when its credentials are in the environment.
 * Every implementation shares one rate limiter per provider across all jobs in the process.
 */
import type { RightsPublisher, RightsWriter } from '../db/schema';

export type { RightsHolder, RightsPublisher, RightsWriter } from '../db/schema';

export interface PlaylistTrackRef {
  spotifyId: string;
  name: string;
  artist: string;
  album: string | null;
  durationMs: number | null;
  explicit: boolean | null;
}

export interface CatalogPlaylist {
  spotifyId: string;
  name: string;
  curator: string | null;
  description: string | null;
  imageUrl: string | null;
  followers: number | null;
  tracks: PlaylistTrackRef[];
}

/** Phase 1: catalog metadata. */
export interface TrackMetadata {
  isrc: string | null;
  label: string | null;
  releaseDate: string | null;
  popularity: number | null;
  durationMs: number | null;
  explicit: boolean | null;
  artworkUrl: string | null;
}

/** Phase 2: credits, looked up by ISRC. */
export interface TrackCredits {
  songwriters: string[];
  producers: string[];
}

/** Phase 3: stats. */
export interface TrackStats {
  streams: number;
  playlistReach: number;
}

export interface CatalogProvider {
  readonly name: string;
  getPlaylist(spotifyId: string, signal?: AbortSignal): Promise<CatalogPlaylist>;
  /** Only the followers (the follower poller calls this). */
  getPlaylistFollowers(spotifyId: string, signal?: AbortSignal): Promise<number | null>;
  /** Metadata for each id; an id the catalog does not know maps to null. */
  getTracks(spotifyIds: readonly string[], signal?: AbortSignal): Promise<Map<string, TrackMetadata | null>>;
}

export interface CreditsProvider {
  readonly name: string;
  /** null when the ISRC is unknown to the provider. */
  getCredits(isrc: string, signal?: AbortSignal): Promise<TrackCredits | null>;
}

export interface StatsProvider {
  readonly name: string;
  getTrackStats(track: { spotifyId: string; isrc: string | null }, signal?: AbortSignal): Promise<TrackStats | null>;
  /** A playlist's track list, when the catalog provider may not give it (restricted playlists). */
  getPlaylistTracks?(spotifyId: string, signal?: AbortSignal): Promise<PlaylistTrackRef[] | null>;
}

/** Phase 4: the musical work a recording embodies, as a rights registry holds it. */
export interface TrackRights {
  /** The registry's own code for the work (The MLC's song code). */
  workCode: string;
  iswc: string | null;
  title: string | null;
  writers: RightsWriter[];
  /** Empty when no publisher has claimed a share of the work. */
  publishers: RightsPublisher[];
}

/** What the rights phase looks a track up by: the ISRC phase 1 found, else its title and artist. */
export interface RightsQuery {
  isrc: string | null;
  title: string;
  artist: string;
  /** Songwriters phase 2 found; a registry may narrow a title search with them. */
  songwriters?: readonly string[];
}

export interface RightsProvider {
  readonly name: string;
  /**
   * The work behind a recording: found by ISRC first, and only when the ISRC finds none, by title
   * and artist. null when the registry has no work for it (the track's publisher status is then
   * `unknown`); a registry that answers "not found" is null, never an error.
   */
  lookupWork(query: RightsQuery, signal?: AbortSignal): Promise<TrackRights | null>;
}

export interface Providers {
  catalog: CatalogProvider;
  credits: CreditsProvider;
  stats: StatsProvider;
  rights: RightsProvider;
}

export type ProviderErrorCode =
  | 'NOT_FOUND' // the playlist or track does not exist
  | 'RESTRICTED' // it exists, but this app may not read it (Spotify development-mode rules)
  | 'INVALID_INPUT'
  | 'RATE_LIMITED' // retried after Retry-After; surfaces only when retries run out
  | 'AUTH' // credentials refused
  | 'TIMEOUT'
  | 'UNAVAILABLE' // 5xx, connection refused
  | 'BAD_RESPONSE'; // an answer we cannot understand

/** Errors carry a code a caller can branch on, and a sentence a person can act on. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly code: ProviderErrorCode,
    message: string,
    readonly options: { retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return this.options.retryable ?? ['RATE_LIMITED', 'TIMEOUT', 'UNAVAILABLE'].includes(this.code);
  }
}

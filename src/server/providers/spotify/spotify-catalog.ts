/**
 * The Spotify Web API as the catalog provider (client-credentials flow).
 *
 * - Playlist metadata: GET /v1/playlists/{id}; its tracks: GET /v1/playlists/{id}/items, paged
 *   with limit/offset by following `next` (the old /tracks endpoint is gone).
 * - Track metadata: GET /v1/tracks/{id} one at a time under the shared limiter (the several-tracks
 *   endpoint was removed in February 2026), plus GET /v1/albums/{id} once per album for the label.
 * - Since February 2026 an app in development mode reads any playlist's metadata but gets 403
 *   on the items of a playlist its user neither owns nor collaborates on: that is a
 *   RestrictedPlaylistError (code RESTRICTED) carrying the metadata, so the caller can take the
 *   track list from the stats provider instead (see fetchPlaylistWithFallback).
 */
import type { ProviderHttpClient } from '../http-client';
import type { BearerTokenSource } from '../access-token-cache';
import { RestrictedPlaylistError } from '../restricted-playlist-error';
import {
  ProviderError,
  type CatalogPlaylist,
  type CatalogProvider,
  type PlaylistTrackRef,
  type TrackMetadata,
} from '../types';
import {
  spotifyAlbumSchema,
  spotifyFollowersSchema,
  spotifyItemsPageSchema,
  spotifyPlaylistSchema,
  spotifyTrackSchema,
  type SpotifyItemsPage,
  type SpotifyTrack,
} from './spotify-schemas';

/** Spotify ids are base62; anything else would never match and must not reach a URL path. */
const SPOTIFY_ID = /^[0-9A-Za-z]{1,64}$/;

export interface SpotifyCatalogOptions {
  http: ProviderHttpClient;
  auth: BearerTokenSource;
  apiUrl: string;
  /** Items per page; the /items endpoint allows at most 50. */
  pageSize?: number;
  /** A runaway `next` chain stops here (Spotify playlists hold at most 10,000 items). */
  maxPages?: number;
}

export class SpotifyCatalog implements CatalogProvider {
  readonly name = 'spotify';
  private readonly pageSize: number;

  constructor(private readonly options: SpotifyCatalogOptions) {
    this.pageSize = Math.min(50, Math.max(1, options.pageSize ?? 50));
  }

  async getPlaylist(spotifyId: string, signal?: AbortSignal): Promise<CatalogPlaylist> {
    this.assertId(spotifyId, 'playlist');
    const meta = await this.options.http.json(
      { url: this.url(`/v1/playlists/${spotifyId}`), what: `playlist ${spotifyId}`, auth: this.options.auth },
      spotifyPlaylistSchema,
      signal,
    );
    const playlist: CatalogPlaylist = {
      spotifyId: meta.id,
      name: meta.name,
      curator: meta.owner?.display_name ?? meta.owner?.id ?? null,
      description: meta.description ? meta.description : null,
      imageUrl: meta.images?.[0]?.url ?? null,
      followers: meta.followers?.total ?? null,
      tracks: [],
    };
    playlist.tracks = await this.playlistItems(playlist, signal);
    return playlist;
  }

  async getPlaylistFollowers(spotifyId: string, signal?: AbortSignal): Promise<number | null> {
    this.assertId(spotifyId, 'playlist');
    const url = this.url(`/v1/playlists/${spotifyId}`);
    url.searchParams.set('fields', 'followers(total)');
    const answer = await this.options.http.json(
      { url, what: `the followers of playlist ${spotifyId}`, auth: this.options.auth },
      spotifyFollowersSchema,
      signal,
    );
    return answer.followers?.total ?? null;
  }

  async getTracks(spotifyIds: readonly string[], signal?: AbortSignal): Promise<Map<string, TrackMetadata | null>> {
    const result = new Map<string, TrackMetadata | null>();
    const labels = new Map<string, string | null>();
    for (const id of spotifyIds) {
      if (result.has(id)) continue;
      if (!SPOTIFY_ID.test(id)) {
        result.set(id, null);
        continue;
      }
      const track = await this.optional(
        this.options.http.json({ url: this.url(`/v1/tracks/${id}`), what: `track ${id}`, auth: this.options.auth }, spotifyTrackSchema, signal),
      );
      if (!track) {
        result.set(id, null);
        continue;
      }
      const albumId = track.album?.id ?? null;
      if (albumId && SPOTIFY_ID.test(albumId) && !labels.has(albumId)) {
        const album = await this.optional(
          this.options.http.json({ url: this.url(`/v1/albums/${albumId}`), what: `album ${albumId}`, auth: this.options.auth }, spotifyAlbumSchema, signal),
        );
        labels.set(albumId, album?.label ?? null);
      }
      result.set(id, toMetadata(track, albumId ? (labels.get(albumId) ?? null) : null));
    }
    return result;
  }

  private async playlistItems(playlist: CatalogPlaylist, signal?: AbortSignal): Promise<PlaylistTrackRef[]> {
    const first = this.url(`/v1/playlists/${playlist.spotifyId}/items`);
    first.searchParams.set('limit', String(this.pageSize));
    first.searchParams.set('offset', '0');
    const tracks: PlaylistTrackRef[] = [];
    const maxPages = this.options.maxPages ?? 200;
    let next: URL | null = first;
    for (let page = 0; next && page < maxPages; page += 1) {
      const answer: SpotifyItemsPage = await this.options.http.json(
        {
          url: next,
          what: `the tracks of playlist "${playlist.name}" (${playlist.spotifyId})`,
          auth: this.options.auth,
          errorForStatus: (status) => (status === 403 ? new RestrictedPlaylistError(playlist) : null),
        },
        spotifyItemsPageSchema,
        signal,
      );
      for (const entry of answer.items) {
        const track = entry.item ?? entry.track;
        if (track) {
          const ref = toTrackRef(track);
          if (ref) tracks.push(ref);
        }
      }
      next = answer.next ? this.sameOrigin(answer.next) : null;
    }
    return tracks;
  }

  /** Only follow `next` links on the API's own origin: the bearer token goes with them. */
  private sameOrigin(link: string): URL {
    const url = new URL(link, this.options.apiUrl);
    if (url.origin !== new URL(this.options.apiUrl).origin) {
      throw new ProviderError('spotify', 'BAD_RESPONSE', `Spotify sent a next-page link to another host (${url.origin}); we stopped paging rather than send our token there. Report this.`, {
        retryable: false,
      });
    }
    return url;
  }

  private url(path: string): URL {
    return new URL(path, this.options.apiUrl);
  }

  private assertId(id: string, kind: string): void {
    if (!SPOTIFY_ID.test(id)) {
      throw new ProviderError('spotify', 'INVALID_INPUT', `"${id}" is not a Spotify ${kind} id (22 letters and digits, as in open.spotify.com/${kind}/<id>).`, {
        retryable: false,
      });
    }
  }

  /** An id Spotify does not know (404, or 400 "invalid id") maps to null, as the interface says. */
  private async optional<T>(call: Promise<T>): Promise<T | null> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof ProviderError && (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT')) return null;
      throw error;
    }
  }
}

function toTrackRef(track: SpotifyTrack): PlaylistTrackRef | null {
  // Local files and episodes have no catalog id (or another type): nothing to enrich.
  if (!track.id || track.is_local || (track.type && track.type !== 'track')) return null;
  return {
    spotifyId: track.id,
    name: track.name,
    artist: track.artists.map((artist) => artist.name).join(', '),
    album: track.album?.name ?? null,
    durationMs: track.duration_ms ?? null,
    explicit: track.explicit ?? null,
  };
}

function toMetadata(track: SpotifyTrack, label: string | null): TrackMetadata {
  return {
    isrc: track.external_ids?.isrc?.toUpperCase() ?? null,
    label,
    releaseDate: track.album?.release_date ?? null,
    popularity: track.popularity ?? null,
    durationMs: track.duration_ms ?? null,
    explicit: track.explicit ?? null,
    artworkUrl: track.album?.images?.[0]?.url ?? null,
  };
}

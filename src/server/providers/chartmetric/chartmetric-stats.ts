/**
 * Chartmetric as the stats provider.
 *
 * Track stats: its ids for a track come from GET /api/track/{isrc|spotify}/{id}/get-ids, then
 * GET /api/track/{chartmetric id} gives `cm_statistics` (Spotify streams, total playlist reach).
 * Playlist track list (the fallback for a playlist Spotify will not list): the playlist's
 * Chartmetric id from GET /api/search?q={Spotify playlist URL}&type=playlists, then
 * GET /api/playlist/spotify/{id}/current/tracks paged with limit/offset.
 */
import type { ZodType } from 'zod';
import type { BearerTokenSource } from '../access-token-cache';
import type { ProviderHttpClient } from '../http-client';
import type { PlaylistTrackRef, StatsProvider, TrackStats } from '../types';
import { playlistSearchSchema, playlistTracksSchema, trackIdsSchema, trackSchema } from './chartmetric-schemas';
import { notFoundAsNull } from '../not-found-as-null';

export interface ChartmetricStatsOptions {
  http: ProviderHttpClient;
  auth: BearerTokenSource;
  apiUrl: string;
  pageSize?: number;
  maxPages?: number;
}

export class ChartmetricStats implements StatsProvider {
  readonly name = 'chartmetric';

  constructor(private readonly options: ChartmetricStatsOptions) {}

  async getTrackStats(track: { spotifyId: string; isrc: string | null }, signal?: AbortSignal): Promise<TrackStats | null> {
    const [kind, id] = track.isrc ? (['isrc', track.isrc] as const) : (['spotify', track.spotifyId] as const);
    const ids = await notFoundAsNull(
      this.get(`/api/track/${kind}/${encodeURIComponent(id)}/get-ids`, `the Chartmetric id of track ${kind} ${id}`, trackIdsSchema, signal),
    );
    const chartmetricId = ids?.obj.find((entry) => entry.chartmetric_ids?.length)?.chartmetric_ids?.[0];
    if (chartmetricId === undefined) return null;
    const answer = await notFoundAsNull(this.get(`/api/track/${chartmetricId}`, `track ${chartmetricId}`, trackSchema, signal));
    const statistics = answer?.obj.cm_statistics;
    if (!statistics || (statistics.sp_streams == null && statistics.sp_playlist_total_reach == null)) return null;
    return { streams: statistics.sp_streams ?? 0, playlistReach: statistics.sp_playlist_total_reach ?? 0 };
  }

  async getPlaylistTracks(spotifyId: string, signal?: AbortSignal): Promise<PlaylistTrackRef[] | null> {
    const search = new URL('/api/search', this.options.apiUrl);
    search.searchParams.set('q', `https://open.spotify.com/playlist/${spotifyId}`);
    search.searchParams.set('type', 'playlists');
    search.searchParams.set('limit', '1');
    const found = await notFoundAsNull(
      this.options.http.json({ url: search, what: `Spotify playlist ${spotifyId}`, auth: this.options.auth }, playlistSearchSchema, signal),
    );
    const chartmetricId = found?.obj.playlists?.spotify[0]?.id;
    if (chartmetricId === undefined) return null;

    const pageSize = this.options.pageSize ?? 100;
    const maxPages = this.options.maxPages ?? 100;
    const tracks: PlaylistTrackRef[] = [];
    for (let page = 0; page < maxPages; page += 1) {
      const url = new URL(`/api/playlist/spotify/${chartmetricId}/current/tracks`, this.options.apiUrl);
      url.searchParams.set('limit', String(pageSize));
      url.searchParams.set('offset', String(page * pageSize));
      const answer = await this.options.http.json(
        { url, what: `the tracks of playlist ${spotifyId}`, auth: this.options.auth },
        playlistTracksSchema,
        signal,
      );
      for (const entry of answer.obj) {
        const trackId = entry.spotify_track_id ?? entry.spotify_track_ids?.[0];
        if (!trackId) continue;
        tracks.push({
          spotifyId: trackId,
          name: entry.name,
          artist: entry.artist_names?.join(', ') ?? '',
          album: entry.album_names?.[0] ?? null,
          durationMs: entry.duration_ms ?? null,
          explicit: entry.explicit ?? null,
        });
      }
      // A short page is the last one: this endpoint gives no total or next link.
      if (answer.obj.length < pageSize) break;
    }
    return tracks;
  }

  private get<T>(path: string, what: string, schema: ZodType<T>, signal?: AbortSignal): Promise<T> {
    return this.options.http.json({ url: new URL(path, this.options.apiUrl), what, auth: this.options.auth }, schema, signal);
  }
}

import { afterEach, describe, expect, it } from 'vitest';
import { chartmetricAccessToken } from '~/server/providers/chartmetric/chartmetric-token';
import { ChartmetricStats } from '~/server/providers/chartmetric/chartmetric-stats';
import { ProviderHttpClient } from '~/server/providers/http-client';
import { fetchPlaylistWithFallback } from '~/server/providers/playlist-with-fallback';
import { ProviderRateLimiter } from '~/server/providers/rate-limiter';
import { SpotifyCatalog } from '~/server/providers/spotify/spotify-catalog';
import { spotifyAccessToken } from '~/server/providers/spotify/spotify-token';
import { ProviderError } from '~/server/providers/types';
import {
  CHARTMETRIC_PLAYLIST_TRACKS,
  KNOWN_ISRC,
  KNOWN_SPOTIFY_TRACK,
  REFRESH_TOKEN,
  startFakeChartmetric,
  type FakeChartmetric,
} from './support/fake-chartmetric';
import { CLIENT_ID, CLIENT_SECRET, RESTRICTED_PLAYLIST, startFakeSpotify } from './support/fake-spotify';
import type { LocalApi } from './support/local-api';

const servers: LocalApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function chartmetric(options: { knownSpotifyPlaylist?: string } = {}): Promise<FakeChartmetric> {
  const server = await startFakeChartmetric(options);
  servers.push(server);
  return server;
}

function statsFor(apiUrl: string, refreshToken = REFRESH_TOKEN) {
  const http = new ProviderHttpClient({
    provider: 'chartmetric',
    displayName: 'Chartmetric',
    limiter: new ProviderRateLimiter('chartmetric', { requestsPerSecond: 1000, burst: 100 }),
    timeoutMs: 2000,
    retries: 2,
    backoffBaseMs: 10,
    credentialsHint: 'CHARTMETRIC_REFRESH_TOKEN',
  });
  return new ChartmetricStats({ http, auth: chartmetricAccessToken(http, { apiUrl, refreshToken }), apiUrl });
}

describe('ChartmetricStats against a local Chartmetric API', () => {
  it('exchanges the refresh token once and reads stats by ISRC or, without one, by Spotify id', async () => {
    const server = await chartmetric();
    const stats = statsFor(server.url);
    expect(await stats.getTrackStats({ spotifyId: 'ignored', isrc: KNOWN_ISRC })).toEqual({ streams: 123_456_789, playlistReach: 4_567_890 });
    expect(await stats.getTrackStats({ spotifyId: KNOWN_SPOTIFY_TRACK, isrc: null })).toEqual({ streams: 123_456_789, playlistReach: 4_567_890 });
    expect(server.tokenRequests()).toBe(1);
    const tokenRequest = server.requests.find((r) => r.url.pathname === '/api/token')!;
    expect(JSON.parse(tokenRequest.body)).toEqual({ refreshtoken: REFRESH_TOKEN });
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/api/token',
      `/api/track/isrc/${KNOWN_ISRC}/get-ids`,
      '/api/track/111',
      `/api/track/spotify/${KNOWN_SPOTIFY_TRACK}/get-ids`,
      '/api/track/111',
    ]);
  });

  it('answers null for a track Chartmetric does not know', async () => {
    const server = await chartmetric();
    expect(await statsFor(server.url).getTrackStats({ spotifyId: 'trk0000000000000000999', isrc: 'USRC12409999' })).toBeNull();
  });

  it('re-mints the access token once on 401, shared by concurrent calls', async () => {
    const server = await chartmetric();
    const stats = statsFor(server.url);
    await stats.getTrackStats({ spotifyId: 'x', isrc: KNOWN_ISRC });
    server.revokeAllTokens();
    const results = await Promise.all([1, 2, 3].map(() => stats.getTrackStats({ spotifyId: 'x', isrc: KNOWN_ISRC })));
    expect(results.every((result) => result?.streams === 123_456_789)).toBe(true);
    expect(server.tokenRequests()).toBe(2);
  });

  it('reports a refused refresh token as AUTH naming the setting', async () => {
    const server = await chartmetric();
    const error = await statsFor(server.url, 'stale')
      .getTrackStats({ spotifyId: 'x', isrc: KNOWN_ISRC })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('AUTH');
    expect((error as ProviderError).message).toContain('CHARTMETRIC_REFRESH_TOKEN');
  });

  it('honours 429 with X-RateLimit-Reset before the next request', async () => {
    const server = await chartmetric();
    const stats = statsFor(server.url);
    server.rateLimitNext();
    expect(await stats.getTrackStats({ spotifyId: 'x', isrc: KNOWN_ISRC })).toEqual({ streams: 123_456_789, playlistReach: 4_567_890 });
    expect(server.requests.filter((r) => r.url.pathname.endsWith('/get-ids'))).toHaveLength(2);
    expect(server.early).toBe(0);
  });

  it("pages through a playlist's current tracks", async () => {
    const server = await chartmetric({ knownSpotifyPlaylist: RESTRICTED_PLAYLIST });
    const tracks = await statsFor(server.url).getPlaylistTracks(RESTRICTED_PLAYLIST);
    expect(tracks).toHaveLength(CHARTMETRIC_PLAYLIST_TRACKS);
    expect(tracks?.[0]).toEqual({ spotifyId: 'cmt0000000000000000000', name: 'Chart Song 0', artist: 'Chart Artist 0', album: 'Chart Album 0', durationMs: null, explicit: null });
    const pages = server.requests.filter((r) => r.url.pathname.endsWith('/current/tracks')).map((r) => r.url.searchParams.get('offset'));
    expect(pages).toEqual(['0', '100', '200']);
    expect(await statsFor(server.url).getPlaylistTracks('1111111111111111111111')).toBeNull();
  });

  it('gives a restricted Spotify playlist its track list from Chartmetric', async () => {
    const spotify = await startFakeSpotify();
    servers.push(spotify);
    const server = await chartmetric({ knownSpotifyPlaylist: RESTRICTED_PLAYLIST });
    const http = new ProviderHttpClient({
      provider: 'spotify',
      displayName: 'Spotify',
      limiter: new ProviderRateLimiter('spotify', { requestsPerSecond: 1000, burst: 100 }),
      timeoutMs: 2000,
      retries: 1,
    });
    const catalog = new SpotifyCatalog({ http, auth: spotifyAccessToken(http, { accountsUrl: spotify.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }), apiUrl: spotify.url });
    const playlist = await fetchPlaylistWithFallback({ catalog, stats: statsFor(server.url) }, RESTRICTED_PLAYLIST);
    expect(playlist).toMatchObject({ spotifyId: RESTRICTED_PLAYLIST, name: 'Someone Else’s Mix', curator: 'The Curator', trackSource: 'chartmetric' });
    expect(playlist.tracks).toHaveLength(CHARTMETRIC_PLAYLIST_TRACKS);
  });
});

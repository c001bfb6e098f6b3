import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchPlaylistWithFallback } from '~/server/providers/playlist-with-fallback';
import { ProviderHttpClient } from '~/server/providers/http-client';
import { ProviderRateLimiter } from '~/server/providers/rate-limiter';
import { RestrictedPlaylistError } from '~/server/providers/restricted-playlist-error';
import { SpotifyCatalog } from '~/server/providers/spotify/spotify-catalog';
import { spotifyAccessToken } from '~/server/providers/spotify/spotify-token';
import { ProviderError, type StatsProvider } from '~/server/providers/types';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  OPEN_PLAYLIST,
  RESTRICTED_PLAYLIST,
  TRACK_COUNT,
  startFakeSpotify,
  trackId,
  type FakeSpotify,
} from './support/fake-spotify';

let spotify: FakeSpotify;

beforeEach(async () => {
  spotify = await startFakeSpotify();
});
afterEach(async () => {
  await spotify.close();
});

function catalogFor(options: { clientSecret?: string } = {}) {
  const http = new ProviderHttpClient({
    provider: 'spotify',
    displayName: 'Spotify',
    limiter: new ProviderRateLimiter('spotify', { requestsPerSecond: 1000, burst: 100 }),
    timeoutMs: 2000,
    retries: 2,
    backoffBaseMs: 10,
    credentialsHint: 'SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET',
  });
  const auth = spotifyAccessToken(http, { accountsUrl: spotify.url, clientId: CLIENT_ID, clientSecret: options.clientSecret ?? CLIENT_SECRET });
  return new SpotifyCatalog({ http, auth, apiUrl: spotify.url });
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('SpotifyCatalog against a local Spotify Web API', () => {
  it('reads a playlist and pages through all its items with the /items endpoint', async () => {
    const playlist = await catalogFor().getPlaylist(OPEN_PLAYLIST);
    expect(playlist).toMatchObject({
      spotifyId: OPEN_PLAYLIST,
      name: 'Open Hits',
      curator: 'The Curator',
      description: 'Fresh tracks',
      imageUrl: `${spotify.url}/img/cover.jpg`,
      followers: 1234,
    });
    // 120 tracks plus a local file, which is skipped.
    expect(playlist.tracks).toHaveLength(TRACK_COUNT);
    expect(playlist.tracks[0]).toEqual({ spotifyId: trackId(0), name: 'Song 0', artist: 'Artist 0, Featured', album: 'Album 0', durationMs: 180_000, explicit: true });
    expect(playlist.tracks.at(-1)?.spotifyId).toBe(trackId(TRACK_COUNT - 1));
    const pages = spotify.requests.filter((r) => r.url.pathname.endsWith('/items'));
    expect(pages.map((r) => [r.url.searchParams.get('offset'), r.url.searchParams.get('limit')])).toEqual([
      ['0', '50'],
      ['50', '50'],
      ['100', '50'],
    ]);
  });

  it('fetches one client-credentials token and sends it with every call', async () => {
    const catalog = catalogFor();
    await catalog.getPlaylist(OPEN_PLAYLIST);
    await catalog.getPlaylistFollowers(OPEN_PLAYLIST);
    expect(spotify.tokenRequests()).toBe(1);
    const tokenRequest = spotify.requests.find((r) => r.url.pathname === '/api/token')!;
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(tokenRequest.body).get('grant_type')).toBe('client_credentials');
    const apiCalls = spotify.requests.filter((r) => r.url.pathname.startsWith('/v1/'));
    expect(apiCalls.every((r) => r.headers.authorization === 'Bearer BQ-test-token-1')).toBe(true);
  });

  it('shares one token request among concurrent first calls (single flight)', async () => {
    const catalog = catalogFor();
    const followers = await Promise.all(Array.from({ length: 6 }, () => catalog.getPlaylistFollowers(OPEN_PLAYLIST)));
    expect(followers).toEqual(Array(6).fill(1234));
    expect(spotify.tokenRequests()).toBe(1);
  });

  it('mints a new token once when Spotify answers 401, and concurrent calls share it', async () => {
    const catalog = catalogFor();
    await catalog.getPlaylistFollowers(OPEN_PLAYLIST);
    spotify.revokeAllTokens();
    await Promise.all([catalog.getPlaylistFollowers(OPEN_PLAYLIST), catalog.getPlaylistFollowers(OPEN_PLAYLIST)]);
    expect(spotify.tokenRequests()).toBe(2);
  });

  it('reports refused app credentials as AUTH naming the settings to fix', async () => {
    const error = await failureOf(catalogFor({ clientSecret: 'wrong' }).getPlaylist(OPEN_PLAYLIST));
    expect(error.code).toBe('AUTH');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Invalid client');
    expect(error.message).toContain('SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET');
  });

  it('reads track metadata one track at a time, with the label from its album, and null for an unknown id', async () => {
    const unknown = 'trk0000000000000009999';
    const tracks = await catalogFor().getTracks([trackId(0), trackId(1), unknown, 'not a spotify id']);
    expect(tracks.get(trackId(0))).toEqual({
      isrc: 'USRC12400000',
      label: 'Shared Label',
      releaseDate: '2024-05-17',
      popularity: 40,
      durationMs: 180_000,
      explicit: true,
      artworkUrl: `${spotify.url}/img/0.jpg`,
    });
    expect(tracks.get(trackId(1))?.label).toBe('Shared Label');
    expect(tracks.get(unknown)).toBeNull();
    expect(tracks.get('not a spotify id')).toBeNull();
    const paths = spotify.requests.map((r) => r.url.pathname);
    expect(paths.filter((p) => p.startsWith('/v1/tracks/'))).toEqual([`/v1/tracks/${trackId(0)}`, `/v1/tracks/${trackId(1)}`, `/v1/tracks/${unknown}`]);
    // Both tracks share an album: its label is fetched once.
    expect(paths.filter((p) => p.startsWith('/v1/albums/'))).toEqual(['/v1/albums/albshared']);
  });

  it('reports a playlist whose items development mode withholds (403) as RESTRICTED, keeping its metadata', async () => {
    const error = await failureOf(catalogFor().getPlaylist(RESTRICTED_PLAYLIST));
    expect(error).toBeInstanceOf(RestrictedPlaylistError);
    expect(error.code).toBe('RESTRICTED');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('development mode may only list the tracks of playlists its own user owns or collaborates on');
    expect((error as RestrictedPlaylistError).playlist).toMatchObject({ name: 'Someone Else’s Mix', followers: 1234, tracks: [] });
  });

  it("falls back to the stats provider's track list for a restricted playlist", async () => {
    const stats: StatsProvider = {
      name: 'fallback-stats',
      getTrackStats: async () => null,
      getPlaylistTracks: async (id) => (id === RESTRICTED_PLAYLIST ? [{ spotifyId: trackId(3), name: 'Song 3', artist: 'Artist 3', album: null, durationMs: null, explicit: null }] : null),
    };
    const playlist = await fetchPlaylistWithFallback({ catalog: catalogFor(), stats }, RESTRICTED_PLAYLIST);
    expect(playlist).toMatchObject({ name: 'Someone Else’s Mix', trackSource: 'fallback-stats', tracks: [{ spotifyId: trackId(3) }] });

    const withoutFallback = await failureOf(fetchPlaylistWithFallback({ catalog: catalogFor(), stats: { name: 'none', getTrackStats: async () => null } }, RESTRICTED_PLAYLIST));
    expect(withoutFallback.code).toBe('RESTRICTED');
  });

  it('reports an unknown playlist as NOT_FOUND and a malformed id as INVALID_INPUT without calling Spotify', async () => {
    const catalog = catalogFor();
    expect((await failureOf(catalog.getPlaylist('0000000000000000000000'))).code).toBe('NOT_FOUND');
    const before = spotify.requests.length;
    const invalid = await failureOf(catalog.getPlaylist('../../v1/me'));
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(spotify.requests.length).toBe(before);
  });
});

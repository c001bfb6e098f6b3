import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '~/server/config';
import { createConfiguredProviders, DEFAULT_MUSICBRAINZ_USER_AGENT } from '~/server/providers/configured-providers';
import type { Providers } from '~/server/providers/types';
import { KNOWN_ISRC, REFRESH_TOKEN, startFakeChartmetric } from './support/fake-chartmetric';
import { CLIENT_ID, CLIENT_SECRET, OPEN_PLAYLIST, startFakeSpotify } from './support/fake-spotify';
import type { LocalApi } from './support/local-api';

const fallback: Providers = {
  catalog: {
    name: 'demo',
    getPlaylist: async () => {
      throw new Error('demo catalog not used here');
    },
    getPlaylistFollowers: async () => null,
    getTracks: async () => new Map(),
  },
  credits: { name: 'demo', getCredits: async () => null },
  stats: { name: 'demo', getTrackStats: async () => null },
  rights: { name: 'demo', lookupWork: async () => null },
};

const servers: LocalApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('createConfiguredProviders', () => {
  it('keeps the fallback for every provider without credentials', () => {
    const providers = createConfiguredProviders(loadConfig({}), fallback);
    expect(providers.catalog).toBe(fallback.catalog);
    expect(providers.credits).toBe(fallback.credits);
    expect(providers.stats).toBe(fallback.stats);
    expect(providers.rights).toBe(fallback.rights);
  });

  it('needs both the Spotify client id and secret', () => {
    expect(createConfiguredProviders(loadConfig({ SPOTIFY_CLIENT_ID: 'id-only' }), fallback).catalog).toBe(fallback.catalog);
  });

  it('switches each real client on with its own credentials', () => {
    const providers = createConfiguredProviders(
      loadConfig({ SPOTIFY_CLIENT_ID: 'id', SPOTIFY_CLIENT_SECRET: 'secret', MUSICBRAINZ_ENABLED: 'true', CHARTMETRIC_REFRESH_TOKEN: 'refresh' }),
      fallback,
    );
    expect([providers.catalog.name, providers.credits.name, providers.stats.name]).toEqual(['spotify', 'musicbrainz', 'chartmetric']);
    expect(createConfiguredProviders(loadConfig({ MUSICBRAINZ_USER_AGENT: 'Linernotes/0.1 ( me@example.org )' }), fallback).credits.name).toBe('musicbrainz');
    expect(DEFAULT_MUSICBRAINZ_USER_AGENT).toMatch(/^Linernotes\/0\.1 \( .+ \)$/);
  });

  it('points the real clients at the configured base URLs', async () => {
    const spotify = await startFakeSpotify();
    const chartmetric = await startFakeChartmetric();
    servers.push(spotify, chartmetric);
    const providers = createConfiguredProviders(
      loadConfig({
        SPOTIFY_CLIENT_ID: CLIENT_ID,
        SPOTIFY_CLIENT_SECRET: CLIENT_SECRET,
        SPOTIFY_API_URL: spotify.url,
        SPOTIFY_ACCOUNTS_URL: spotify.url,
        SPOTIFY_REQUESTS_PER_SECOND: '1000',
        CHARTMETRIC_REFRESH_TOKEN: REFRESH_TOKEN,
        CHARTMETRIC_API_URL: chartmetric.url,
        CHARTMETRIC_REQUESTS_PER_SECOND: '1000',
      }),
      fallback,
    );
    expect(await providers.catalog.getPlaylistFollowers(OPEN_PLAYLIST)).toBe(1234);
    expect(await providers.stats.getTrackStats({ spotifyId: 'x', isrc: KNOWN_ISRC })).toEqual({ streams: 123_456_789, playlistReach: 4_567_890 });
  });

  it('refuses a malformed base URL when the config is loaded', () => {
    expect(() => loadConfig({ SPOTIFY_API_URL: 'not a url' })).toThrow(/SPOTIFY_API_URL/);
  });
});

/**
 * The providers this process uses: each real client switches on when its credentials are in the
 * environment, else the fallback (the demo catalog) stays in its place. Every client of one
 * provider shares that provider's process-wide rate limiter, and each configured rate is the
 * cluster's: a process allows itself its share (cluster/cluster-members.ts).
 */
import type { Config } from '../config';
import { chartmetricAccessToken } from './chartmetric/chartmetric-token';
import { ChartmetricStats } from './chartmetric/chartmetric-stats';
import { ProviderHttpClient } from './http-client';
import { mlcAccessToken } from './mlc/mlc-token';
import { MlcRights } from './mlc/mlc-rights';
import { MusicBrainzCredits } from './musicbrainz/musicbrainz-credits';
import { sharedRateLimiter } from './rate-limiter';
import { spotifyAccessToken } from './spotify/spotify-token';
import { SpotifyCatalog } from './spotify/spotify-catalog';
import type { Providers } from './types';

/** MusicBrainz asks for "Application/version ( contact )"; the contact is the operator's to give. */
export const DEFAULT_MUSICBRAINZ_USER_AGENT = 'Linernotes/0.1 ( set MUSICBRAINZ_USER_AGENT to add your contact )';

export function createConfiguredProviders(config: Config, fallback: Providers): Providers {
  return {
    catalog: spotifyConfigured(config) ? createSpotifyCatalog(config) : fallback.catalog,
    credits: config.MUSICBRAINZ_USER_AGENT || config.MUSICBRAINZ_ENABLED ? createMusicBrainzCredits(config) : fallback.credits,
    stats: config.CHARTMETRIC_REFRESH_TOKEN ? createChartmetricStats(config, config.CHARTMETRIC_REFRESH_TOKEN) : fallback.stats,
    rights: config.MLC_USERNAME && config.MLC_PASSWORD ? createMlcRights(config, { username: config.MLC_USERNAME, password: config.MLC_PASSWORD }) : fallback.rights,
  };
}

function spotifyConfigured(config: Config): boolean {
  return Boolean(config.SPOTIFY_CLIENT_ID && config.SPOTIFY_CLIENT_SECRET);
}

function httpSettings(config: Config) {
  return { timeoutMs: config.PROVIDER_HTTP_TIMEOUT_MS, retries: config.PROVIDER_HTTP_RETRIES };
}

export function createSpotifyCatalog(config: Config): SpotifyCatalog {
  const http = new ProviderHttpClient({
    provider: 'spotify',
    displayName: 'Spotify',
    limiter: sharedRateLimiter('spotify', {
      requestsPerSecond: config.SPOTIFY_REQUESTS_PER_SECOND,
      maxWaitMs: config.PROVIDER_MAX_RATE_LIMIT_WAIT_MS,
      displayName: 'Spotify',
    }),
    credentialsHint: 'SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET',
    ...httpSettings(config),
  });
  const auth = spotifyAccessToken(http, {
    accountsUrl: config.SPOTIFY_ACCOUNTS_URL,
    clientId: config.SPOTIFY_CLIENT_ID ?? '',
    clientSecret: config.SPOTIFY_CLIENT_SECRET ?? '',
  });
  return new SpotifyCatalog({ http, auth, apiUrl: config.SPOTIFY_API_URL });
}

export function createMusicBrainzCredits(config: Config): MusicBrainzCredits {
  const http = new ProviderHttpClient({
    provider: 'musicbrainz',
    displayName: 'MusicBrainz',
    // MusicBrainz's rule is one request per second per client, with no burst.
    limiter: sharedRateLimiter('musicbrainz', { requestsPerSecond: 1, burst: 1, maxWaitMs: config.PROVIDER_MAX_RATE_LIMIT_WAIT_MS, displayName: 'MusicBrainz' }),
    userAgent: config.MUSICBRAINZ_USER_AGENT ?? DEFAULT_MUSICBRAINZ_USER_AGENT,
    // MusicBrainz answers 503 when a client goes over its rate.
    rateLimitStatuses: [503],
    ...httpSettings(config),
  });
  return new MusicBrainzCredits({ http, baseUrl: config.MUSICBRAINZ_URL });
}

export function createChartmetricStats(config: Config, refreshToken: string): ChartmetricStats {
  const http = new ProviderHttpClient({
    provider: 'chartmetric',
    displayName: 'Chartmetric',
    limiter: sharedRateLimiter('chartmetric', {
      requestsPerSecond: config.CHARTMETRIC_REQUESTS_PER_SECOND,
      maxWaitMs: config.PROVIDER_MAX_RATE_LIMIT_WAIT_MS,
      displayName: 'Chartmetric',
    }),
    credentialsHint: 'CHARTMETRIC_REFRESH_TOKEN',
    ...httpSettings(config),
  });
  const auth = chartmetricAccessToken(http, { apiUrl: config.CHARTMETRIC_API_URL, refreshToken });
  return new ChartmetricStats({ http, auth, apiUrl: config.CHARTMETRIC_API_URL });
}

export function createMlcRights(config: Config, account: { username: string; password: string }): MlcRights {
  const http = new ProviderHttpClient({
    provider: 'mlc',
    displayName: 'The MLC',
    limiter: sharedRateLimiter('mlc', {
      requestsPerSecond: config.MLC_REQUESTS_PER_SECOND,
      maxWaitMs: config.PROVIDER_MAX_RATE_LIMIT_WAIT_MS,
      displayName: 'The MLC',
    }),
    credentialsHint: 'MLC_USERNAME and MLC_PASSWORD',
    ...httpSettings(config),
  });
  const auth = mlcAccessToken(http, { baseUrl: config.MLC_BASE_URL, ...account });
  return new MlcRights({ http, auth, baseUrl: config.MLC_BASE_URL });
}

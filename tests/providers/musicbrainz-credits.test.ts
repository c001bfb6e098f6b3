import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '~/server/config';
import { createMusicBrainzCredits } from '~/server/providers/configured-providers';
import { ProviderHttpClient } from '~/server/providers/http-client';
import { MusicBrainzCredits } from '~/server/providers/musicbrainz/musicbrainz-credits';
import { ProviderRateLimiter } from '~/server/providers/rate-limiter';
import { ProviderError } from '~/server/providers/types';
import { KNOWN_ISRC, SECOND_ISRC, startFakeMusicBrainz, type FakeMusicBrainz } from './support/fake-musicbrainz';

let musicbrainz: FakeMusicBrainz | null = null;
afterEach(async () => {
  await musicbrainz?.close();
  musicbrainz = null;
});

function creditsFor(baseUrl: string) {
  const http = new ProviderHttpClient({
    provider: 'musicbrainz',
    displayName: 'MusicBrainz',
    limiter: new ProviderRateLimiter('musicbrainz', { requestsPerSecond: 1, burst: 1 }),
    userAgent: 'Linernotes/0.1 ( tests@example.org )',
    rateLimitStatuses: [503],
    timeoutMs: 3000,
    retries: 2,
    backoffBaseMs: 10,
  });
  return new MusicBrainzCredits({ http, baseUrl });
}

describe('MusicBrainzCredits against a local MusicBrainz web service', () => {
  it('finds songwriters and producers by ISRC at one request per second with a proper User-Agent', async () => {
    musicbrainz = await startFakeMusicBrainz();
    const config = loadConfig({ MUSICBRAINZ_URL: musicbrainz.url, MUSICBRAINZ_USER_AGENT: 'Linernotes/0.1 ( ops@example.org )' });
    const credits = createMusicBrainzCredits(config);
    expect(await credits.getCredits(KNOWN_ISRC)).toEqual({ songwriters: ['Adele', 'Paul Epworth'], producers: ['Paul Epworth'] });
    expect(await credits.getCredits('us-rc1-76-07839')).toEqual({ songwriters: [], producers: [] });
    expect(musicbrainz.tooFast).toBe(0);
    // Four requests at one per second span three seconds; late handlers may shorten it a little.
    const span = musicbrainz.requests.at(-1)!.at - musicbrainz.requests[0]!.at;
    expect(span).toBeGreaterThanOrEqual(2_500);
    expect(musicbrainz.requests.map((r) => r.url.pathname)).toEqual([
      `/ws/2/isrc/${KNOWN_ISRC}`,
      '/ws/2/recording/b1a9c0e9-d987-4042-ae91-78d6a3267d69',
      `/ws/2/isrc/${SECOND_ISRC}`,
      '/ws/2/recording/c2b8f0aa-0000-4000-8000-000000000002',
    ]);
    expect(musicbrainz.requests[1]!.url.searchParams.get('inc')).toBe('artist-rels+work-rels+work-level-rels');
    expect(musicbrainz.requests.every((r) => r.headers['user-agent'] === 'Linernotes/0.1 ( ops@example.org )')).toBe(true);
  });

  it('answers null for an ISRC MusicBrainz does not know', async () => {
    musicbrainz = await startFakeMusicBrainz();
    expect(await creditsFor(musicbrainz.url).getCredits('ZZXXX0000001')).toBeNull();
    expect(musicbrainz.requests).toHaveLength(1);
  });

  it('treats 503 as "slow down": pauses for its Retry-After, then carries on', async () => {
    musicbrainz = await startFakeMusicBrainz({ rateLimitFirst: true });
    expect(await creditsFor(musicbrainz.url).getCredits(KNOWN_ISRC)).toEqual({ songwriters: ['Adele', 'Paul Epworth'], producers: ['Paul Epworth'] });
    expect(musicbrainz.requests.map((r) => r.url.pathname)).toEqual([
      `/ws/2/isrc/${KNOWN_ISRC}`,
      `/ws/2/isrc/${KNOWN_ISRC}`,
      '/ws/2/recording/b1a9c0e9-d987-4042-ae91-78d6a3267d69',
    ]);
    expect(musicbrainz.tooFast).toBe(0);
  });

  it('rejects a malformed ISRC as INVALID_INPUT without a request', async () => {
    musicbrainz = await startFakeMusicBrainz();
    const error = await creditsFor(musicbrainz.url)
      .getCredits('not-an-isrc')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('INVALID_INPUT');
    expect(musicbrainz.requests).toHaveLength(0);
  });
});

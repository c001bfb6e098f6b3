/** The MLC rights client against a local server speaking The MLC public API's protocol. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '~/server/config';
import { createConfiguredProviders } from '~/server/providers/configured-providers';
import { ProviderHttpClient } from '~/server/providers/http-client';
import { MlcRights } from '~/server/providers/mlc/mlc-rights';
import { mlcAccessToken } from '~/server/providers/mlc/mlc-token';
import { ProviderRateLimiter } from '~/server/providers/rate-limiter';
import { ProviderError, type Providers } from '~/server/providers/types';
import { publisherStatusOf } from '~/server/enrichment/phases/rights-phase';
import {
  DANGLING_ISRC,
  MLC_PASSWORD,
  MLC_USERNAME,
  PUBLISHED_CODE,
  PUBLISHED_ISRC,
  SONGCODE_ONLY,
  TITLE_ONLY,
  UNPUBLISHED_CODE,
  UNPUBLISHED_ISRC,
  startFakeMlc,
  type FakeMlc,
} from './support/fake-mlc';
import type { LocalApi } from './support/local-api';

const servers: LocalApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function mlc(options: Parameters<typeof startFakeMlc>[0] = {}): Promise<FakeMlc> {
  const server = await startFakeMlc(options);
  servers.push(server);
  return server;
}

function rightsFor(baseUrl: string, options: { password?: string; timeoutMs?: number; retries?: number; now?: () => number } = {}) {
  const http = new ProviderHttpClient({
    provider: 'mlc',
    displayName: 'The MLC',
    limiter: new ProviderRateLimiter('mlc', { requestsPerSecond: 1000, burst: 100 }),
    timeoutMs: options.timeoutMs ?? 2000,
    retries: options.retries ?? 2,
    backoffBaseMs: 10,
    credentialsHint: 'MLC_USERNAME and MLC_PASSWORD',
  });
  const auth = mlcAccessToken(http, { baseUrl, username: MLC_USERNAME, password: options.password ?? MLC_PASSWORD }, { now: options.now });
  return new MlcRights({ http, auth, baseUrl });
}

const published = { isrc: PUBLISHED_ISRC, title: 'Midnight Rivers', artist: 'Ava Hart' };
const bodies = (requests: { body: string }[]) => requests.map((request) => JSON.parse(request.body || 'null') as unknown);

describe('MlcRights against a local MLC public API', () => {
  it('signs in once with the username and password, finds the work by ISRC and reads its writers and publishers', async () => {
    const server = await mlc();
    const rights = rightsFor(server.url);
    const work = await rights.lookupWork(published);
    expect(work).toEqual({
      workCode: PUBLISHED_CODE,
      iswc: 'T-345.246.800-1',
      title: 'MIDNIGHT RIVERS',
      writers: [
        { name: 'Ava Hart', ipi: '00052210040', role: 'CA' },
        { name: 'Leo Moreau', ipi: null, role: 'C' },
      ],
      publishers: [
        { name: 'Hart Songs', ipi: '00711863452', share: 50, administrators: [{ name: 'Kobalt Songs Music Publishing', ipi: '00482231950', share: 50 }] },
        // The API sent this IPI as a number and the share as a string.
        { name: 'Sony Music Publishing (US) LLC', ipi: '269137346', share: 50, administrators: [] },
      ],
    });
    expect(publisherStatusOf(work)).toBe('published');
    expect(await rights.lookupWork({ isrc: UNPUBLISHED_ISRC, title: 'Golden Echoes', artist: 'Noah Sato' })).toMatchObject({ workCode: UNPUBLISHED_CODE, iswc: null, publishers: [] });

    expect(bodies(server.tokenRequests())).toEqual([{ username: MLC_USERNAME, password: MLC_PASSWORD }]);
    expect(server.dataRequests().map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /search/recordings',
      `GET /work/id/${PUBLISHED_CODE}`,
      'POST /search/recordings',
      `GET /work/id/${UNPUBLISHED_CODE}`,
    ]);
    expect(bodies(server.dataRequests().filter((r) => r.method === 'POST'))).toEqual([{ isrc: PUBLISHED_ISRC }, { isrc: UNPUBLISHED_ISRC }]);
    // The id token is the bearer (the fake, like the real API, refuses the access token on searches).
    expect(new Set(server.dataRequests().map((r) => r.headers.authorization))).toEqual(new Set(['Bearer mlc-token-1']));
    expect(server.dataRequests().every((r) => r.method === 'GET' || r.headers['content-type'] === 'application/json')).toBe(true);
  });

  it('sends the access token when the answer carries no id token', async () => {
    const server = await mlc({ issueIdToken: false, expiresIn: '3600' });
    expect(await rightsFor(server.url).lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(server.dataRequests()[0]!.headers.authorization).toBe('Bearer mlc-token-1');
  });

  it('falls back to title and artist when the ISRC finds nothing, skipping near misses', async () => {
    const server = await mlc();
    const work = await rightsFor(server.url).lookupWork({ isrc: TITLE_ONLY.isrc, title: TITLE_ONLY.title, artist: TITLE_ONLY.artist });
    expect(work).toMatchObject({ workCode: TITLE_ONLY.code, title: 'PAPER SATELLITES', publishers: [{ name: 'Novak Tunes', share: 100 }] });
    expect(bodies(server.dataRequests().filter((r) => r.method === 'POST'))).toEqual([
      { isrc: TITLE_ONLY.isrc },
      { title: TITLE_ONLY.title, artist: TITLE_ONLY.artist },
    ]);
    // Without an ISRC it goes straight to the title search.
    const second = await mlc();
    expect(await rightsFor(second.url).lookupWork({ isrc: null, title: TITLE_ONLY.title, artist: TITLE_ONLY.artist })).toMatchObject({ workCode: TITLE_ONLY.code });
    expect(bodies(second.dataRequests().filter((r) => r.method === 'POST'))).toEqual([{ title: TITLE_ONLY.title, artist: TITLE_ONLY.artist }]);
  });

  it('searches works by title and writers when no recording matches and songwriters are known', async () => {
    const server = await mlc();
    const work = await rightsFor(server.url).lookupWork({ isrc: null, title: SONGCODE_ONLY.title, artist: 'Anyone', songwriters: SONGCODE_ONLY.writers });
    expect(work).toMatchObject({ workCode: SONGCODE_ONLY.code, writers: [{ name: 'Omar Haddad', ipi: '00412345678', role: 'C' }] });
    const songcode = server.dataRequests().find((r) => r.url.pathname === '/search/songcode')!;
    expect(JSON.parse(songcode.body)).toEqual({ title: SONGCODE_ONLY.title, writers: [{ writerFirstName: 'Omar', writerLastName: 'Haddad' }] });
  });

  it('answers null (publisher status unknown) when The MLC has no work, without a songcode search when no writers are known', async () => {
    const server = await mlc();
    const rights = rightsFor(server.url);
    const nothing = await rights.lookupWork({ isrc: 'USZZZ9900001', title: 'Nothing Like It', artist: 'Nobody Known' });
    expect(nothing).toBeNull();
    expect(publisherStatusOf(nothing)).toBe('unknown');
    expect(server.dataRequests().map((r) => r.url.pathname)).toEqual(['/search/recordings', '/search/recordings']);
    // A recording whose work code The MLC answers 404 for: no work either, not an error.
    expect(await rights.lookupWork({ isrc: DANGLING_ISRC, title: 'Dangling', artist: 'Nobody' })).toBeNull();
  });

  it('refreshes an expired token with the refresh token, not the password', async () => {
    const server = await mlc({ expiresIn: 3600 });
    let now = 1_000_000;
    const rights = rightsFor(server.url, { now: () => now });
    await rights.lookupWork(published);
    now += 3_600_000;
    await rights.lookupWork(published);
    expect(bodies(server.tokenRequests())).toEqual([{ username: MLC_USERNAME, password: MLC_PASSWORD }, { refreshToken: 'mlc-refresh-1' }]);
    expect(server.dataRequests().at(-1)!.headers.authorization).toBe('Bearer mlc-token-2');
  });

  it('re-mints once on 401, shared by concurrent calls', async () => {
    const server = await mlc();
    const rights = rightsFor(server.url);
    await rights.lookupWork(published);
    server.revokeAllTokens();
    const works = await Promise.all([1, 2, 3].map(() => rights.lookupWork(published)));
    expect(works.every((work) => work?.workCode === PUBLISHED_CODE)).toBe(true);
    expect(bodies(server.tokenRequests())).toEqual([{ username: MLC_USERNAME, password: MLC_PASSWORD }, { refreshToken: 'mlc-refresh-1' }]);
  });

  it('signs in with the password again when the refresh token is refused too', async () => {
    const server = await mlc();
    const rights = rightsFor(server.url);
    await rights.lookupWork(published);
    server.revokeAllTokens();
    server.revokeRefreshTokens();
    expect(await rights.lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(bodies(server.tokenRequests())).toEqual([
      { username: MLC_USERNAME, password: MLC_PASSWORD },
      { refreshToken: 'mlc-refresh-1' },
      { username: MLC_USERNAME, password: MLC_PASSWORD },
    ]);
  });

  it('reports a refused username and password as AUTH naming the settings, without retrying', async () => {
    const server = await mlc();
    const error = await rightsFor(server.url, { password: 'wrong' })
      .lookupWork(published)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'AUTH', retryable: false });
    expect((error as ProviderError).message).toContain('Wrong email or password');
    expect((error as ProviderError).message).toContain('MLC_USERNAME and MLC_PASSWORD');
    expect(server.tokenRequests()).toHaveLength(1);
    expect(server.dataRequests()).toHaveLength(0);
  });

  it('honours 429 Retry-After before the next request', async () => {
    const server = await mlc();
    server.failNext({ kind: 'rate-limit', retryAfter: '1' });
    expect(await rightsFor(server.url).lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(server.dataRequests().map((r) => r.url.pathname)).toEqual(['/search/recordings', '/search/recordings', `/work/id/${PUBLISHED_CODE}`]);
    expect(server.early).toBe(0);
  });

  it('retries a 5xx, and fails UNAVAILABLE (retryable) when it goes on', async () => {
    const server = await mlc();
    server.failNext({ kind: 'server-error', status: 503 }, 2);
    expect(await rightsFor(server.url).lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(server.dataRequests().filter((r) => r.url.pathname === '/search/recordings')).toHaveLength(3);

    server.failNext({ kind: 'server-error', status: 500 }, 3);
    const error = await rightsFor(server.url)
      .lookupWork(published)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, provider: 'mlc' });
    expect((error as ProviderError).message).toContain('The MLC failed the recordings with ISRC');
  });

  it('times out a request that never answers and retries it', async () => {
    const server = await mlc();
    server.failNext({ kind: 'hang' });
    expect(await rightsFor(server.url, { timeoutMs: 200 }).lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(server.dataRequests().filter((r) => r.url.pathname === '/search/recordings')).toHaveLength(2);

    server.failNext({ kind: 'hang' }, 2);
    const error = await rightsFor(server.url, { timeoutMs: 150, retries: 1 })
      .lookupWork(published)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });
});

describe('the rights provider from config', () => {
  const fallbackRights = { name: 'demo-rights', lookupWork: async () => null };
  const fallback = { rights: fallbackRights } as unknown as Providers;

  it('keeps the demo registry without both MLC settings, and uses The MLC at MLC_BASE_URL with them', async () => {
    expect(createConfiguredProviders(loadConfig({}), fallback).rights).toBe(fallbackRights);
    expect(createConfiguredProviders(loadConfig({ MLC_USERNAME: MLC_USERNAME }), fallback).rights).toBe(fallbackRights);
    const server = await mlc();
    const rights = createConfiguredProviders(
      loadConfig({ MLC_USERNAME, MLC_PASSWORD, MLC_BASE_URL: server.url, MLC_REQUESTS_PER_SECOND: '1000' }),
      fallback,
    ).rights;
    expect(rights.name).toBe('mlc');
    expect(await rights.lookupWork(published)).toMatchObject({ workCode: PUBLISHED_CODE });
    expect(loadConfig({}).MLC_BASE_URL).toBe('https://public-api.themlc.com');
    expect(() => loadConfig({ MLC_BASE_URL: 'not a url' })).toThrow(/MLC_BASE_URL/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderHttpClient, type ProviderHttpSettings } from '~/server/providers/http-client';
import { ProviderRateLimiter } from '~/server/providers/rate-limiter';
import { ProviderError } from '~/server/providers/types';
import { waitFor } from '../support/iterate';
import { sendJson, startLocalApi, type LocalApi, type LocalHandler } from './support/local-api';

const okSchema = z.object({ ok: z.boolean() });
let api: LocalApi | null = null;

afterEach(async () => {
  await api?.close();
  api = null;
});

async function clientFor(handler: LocalHandler, settings: Partial<ProviderHttpSettings> = {}) {
  api = await startLocalApi(handler);
  const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 1000, burst: 100, displayName: 'Test API' });
  const http = new ProviderHttpClient({
    provider: 'test',
    displayName: 'Test API',
    limiter,
    timeoutMs: 2000,
    retries: 2,
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    ...settings,
  });
  return { http, limiter, api, get: (path = '/thing', signal?: AbortSignal) => http.json({ url: new URL(path, api!.url), what: 'the thing' }, okSchema, signal) };
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('ProviderHttpClient', () => {
  it('honours a 429 Retry-After by pausing the whole provider, not just the call that got it', async () => {
    let resumeAt = 0;
    const early: string[] = [];
    const { get, limiter, api } = await clientFor((request, response) => {
      if (request.url.pathname === '/first' && resumeAt === 0) {
        resumeAt = Date.now() + 1000;
        return sendJson(response, 429, { error: { status: 429, message: 'API rate limit exceeded' } }, { 'retry-after': '1' });
      }
      // The server's own rule: nothing may arrive before the Retry-After it gave has passed.
      if (request.at < resumeAt) early.push(request.url.pathname);
      sendJson(response, 200, { ok: true });
    });
    const first = get('/first');
    await waitFor(() => limiter.pausedUntil > 0, { what: 'the limiter to pause' });
    const others = [get('/second'), get('/third')];
    expect(await Promise.all([first, ...others])).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(api.requests.map((r) => r.url.pathname).sort()).toEqual(['/first', '/first', '/second', '/third']);
    expect(early).toEqual([]);
  });

  it('gives up with RATE_LIMITED when every attempt is rate-limited', async () => {
    const { get, api } = await clientFor((_request, response) => sendJson(response, 429, {}, { 'retry-after': '0' }));
    const error = await failureOf(get());
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toContain('kept rate-limiting the thing after 3 attempts');
    expect(api.requests).toHaveLength(3);
  });

  it('retries a 5xx and returns the answer that follows', async () => {
    const { get, api } = await clientFor((_request, response) =>
      api && api.requests.length === 1 ? sendJson(response, 502, { message: 'bad gateway' }) : sendJson(response, 200, { ok: true }),
    );
    expect(await get()).toEqual({ ok: true });
    expect(api.requests).toHaveLength(2);
  });

  it('fails with UNAVAILABLE after its retries when the 5xx goes on', async () => {
    const { get, api } = await clientFor((_request, response) => sendJson(response, 500, { error: { status: 500, message: 'Server error' } }));
    const error = await failureOf(get());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Test API failed the thing with HTTP 500: Server error after 3 attempts; it is having trouble, so try again later.');
    expect(api.requests).toHaveLength(3);
  });

  it('reports garbage that is not JSON as BAD_RESPONSE without retrying', async () => {
    const { get, api } = await clientFor((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
    });
    const error = await failureOf(get());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('not JSON');
    expect(api.requests).toHaveLength(1);
  });

  it('reports JSON of the wrong shape as BAD_RESPONSE naming the field', async () => {
    const { get } = await clientFor((_request, response) => sendJson(response, 200, { ok: 'yes' }));
    const error = await failureOf(get());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('(ok:');
  });

  it('times out a provider that never answers, retries, then fails with TIMEOUT', async () => {
    const { get, api } = await clientFor(() => {}, { timeoutMs: 150, retries: 1 });
    const error = await failureOf(get());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe('Test API did not answer the thing within 150 ms (2 attempts); it may be overloaded, so try again later.');
    expect(api.requests).toHaveLength(2);
  });

  it('reports a refused connection as UNAVAILABLE', async () => {
    const { http, api } = await clientFor(() => {}, { retries: 1 });
    const url = new URL('/thing', api.url);
    await api.close();
    const error = await failureOf(http.json({ url, what: 'the thing' }, okSchema));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain(`Could not reach Test API at ${url.origin}`);
  });

  it('maps 404 to NOT_FOUND and 400 to INVALID_INPUT without retrying', async () => {
    const { get, api } = await clientFor((request, response) =>
      request.url.pathname === '/missing' ? sendJson(response, 404, { error: 'Not Found' }) : sendJson(response, 400, { error: { message: 'invalid id' } }),
    );
    expect((await failureOf(get('/missing'))).code).toBe('NOT_FOUND');
    const invalid = await failureOf(get('/bad'));
    expect(invalid.code).toBe('INVALID_INPUT');
    expect(invalid.message).toContain('HTTP 400: invalid id');
    expect(api.requests).toHaveLength(2);
  });

  it('waits for X-RateLimit-Reset when an answer says the window is spent', async () => {
    let resumeAt = 0;
    const early: number[] = [];
    const { get, limiter } = await clientFor((request, response) => {
      if (resumeAt === 0) {
        resumeAt = Date.now() + 1000;
        return sendJson(response, 200, { ok: true }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
      }
      if (request.at < resumeAt) early.push(request.at);
      sendJson(response, 200, { ok: true });
    });
    await get();
    expect(limiter.pausedUntil).toBeGreaterThan(0);
    await get();
    expect(early).toEqual([]);
  });

  it("rethrows the caller's abort as itself, not as a provider failure", async () => {
    const controller = new AbortController();
    const { get } = await clientFor(() => {});
    const pending = get('/thing', controller.signal);
    setImmediate(() => controller.abort(new Error('job cancelled')));
    await expect(pending).rejects.toThrow('job cancelled');
  });
});

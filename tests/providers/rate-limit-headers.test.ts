import { describe, expect, it } from 'vitest';
import { exhaustedWindowDelay, parseRateLimitReset, parseRetryAfter, retryDelayFromHeaders } from '~/server/providers/rate-limit-headers';

const now = Date.parse('2026-11-26T12:00:00Z');

describe('rate-limit headers', () => {
  it('reads Retry-After as delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
  });

  it('reads Retry-After as an HTTP date', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores a Retry-After it cannot read', () => {
    expect(parseRetryAfter('soon', now)).toBeNull();
  });

  it('reads X-RateLimit-Reset as epoch seconds, epoch milliseconds or seconds from now', () => {
    expect(parseRateLimitReset(String(now / 1000 + 7), now)).toBe(7000);
    expect(parseRateLimitReset(String(now + 2500), now)).toBe(2500);
    expect(parseRateLimitReset('4', now)).toBe(4000);
  });

  it('prefers Retry-After over X-RateLimit-Reset', () => {
    const headers = new Headers({ 'retry-after': '2', 'x-ratelimit-reset': String(now / 1000 + 30) });
    expect(retryDelayFromHeaders(headers, now)).toBe(2000);
    expect(retryDelayFromHeaders(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 30) }), now)).toBe(30_000);
    expect(retryDelayFromHeaders(new Headers(), now)).toBeNull();
  });

  it('names the reset only when the window is spent', () => {
    const reset = String(now / 1000 + 10);
    expect(exhaustedWindowDelay(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), now)).toBe(10_000);
    expect(exhaustedWindowDelay(new Headers({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': reset }), now)).toBeNull();
  });
});

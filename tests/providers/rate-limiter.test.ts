import { describe, expect, it } from 'vitest';
import { ProviderRateLimiter, sharedRateLimiter } from '~/server/providers/rate-limiter';
import { ProviderError } from '~/server/providers/types';
import { isSettled } from './support/settled';

describe('ProviderRateLimiter', () => {
  it('lets a burst through, then makes the next caller wait for a token', async () => {
    const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 4, burst: 2 });
    await limiter.acquire();
    await limiter.acquire();
    const third = limiter.acquire();
    expect(await isSettled(third)).toBe(false);
    await third;
  });

  it('pauses every caller while a provider-requested pause lasts, then lets them through', async () => {
    const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 1000, burst: 10 });
    limiter.pauseFor(150);
    const waiting = [limiter.acquire(), limiter.acquire()];
    expect(await isSettled(waiting[0]!)).toBe(false);
    expect(limiter.pausedUntil).toBeGreaterThan(0);
    await Promise.all(waiting);
    expect(limiter.pausedUntil).toBe(0);
  });

  it('never shortens a pause that is already longer', () => {
    const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 1 });
    limiter.pauseFor(10_000);
    const until = limiter.pausedUntil;
    limiter.pauseFor(10);
    expect(limiter.pausedUntil).toBe(until);
  });

  it('fails at once with RATE_LIMITED when the pause is longer than a job should wait', async () => {
    const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 1, maxWaitMs: 1000, displayName: 'Test API' });
    limiter.pauseFor(3_600_000);
    const error = await limiter.acquire().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe('RATE_LIMITED');
    expect((error as ProviderError).options.retryAfterMs).toBeGreaterThan(3_000_000);
    expect((error as ProviderError).message).toContain('Test API asked us to pause');
  });

  it('gives up waiting with the signal reason when the caller aborts', async () => {
    const limiter = new ProviderRateLimiter('test', { requestsPerSecond: 1 });
    limiter.pauseFor(30_000);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('job cancelled'));
    await expect(waiting).rejects.toThrow('job cancelled');
  });

  it('is one instance per provider in the process, a pause included', async () => {
    const first = sharedRateLimiter('shared-test', { requestsPerSecond: 1 });
    const second = sharedRateLimiter('shared-test', { requestsPerSecond: 50, burst: 5 });
    expect(second).toBe(first);
    expect(sharedRateLimiter('other-test', { requestsPerSecond: 1 })).not.toBe(first);
    first.pauseFor(100);
    expect(second.pausedUntil).toBeGreaterThan(0);
    // The later settings (50 per second) pace these five, not the first (1 per second).
    await Promise.all(Array.from({ length: 5 }, () => second.acquire()));
  });
});

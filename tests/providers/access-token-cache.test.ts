import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from '~/server/providers/access-token-cache';

function countingMint(lifetimeSeconds: number | null) {
  const state = { mints: 0, release: () => {} };
  const mint = async () => {
    state.mints += 1;
    const number = state.mints;
    await new Promise<void>((resolve) => {
      state.release = resolve;
      setImmediate(resolve);
    });
    return { accessToken: `token-${number}`, expiresInSeconds: lifetimeSeconds };
  };
  return { state, mint };
}

describe('AccessTokenCache', () => {
  it('mints once for concurrent callers and reuses the token until it nears expiry', async () => {
    let now = 0;
    const { state, mint } = countingMint(3600);
    const cache = new AccessTokenCache(mint, { refreshMarginMs: 60_000, now: () => now });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => cache.token()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(state.mints).toBe(1);

    now = 3_500_000; // within the hour, before the margin
    expect(await cache.token()).toBe('token-1');
    now = 3_550_000; // inside the last minute: refresh early
    expect(await cache.token()).toBe('token-2');
    expect(state.mints).toBe(2);
  });

  it('re-mints once after a refusal, however many callers saw it', async () => {
    const { state, mint } = countingMint(3600);
    const cache = new AccessTokenCache(mint);
    const refused = await cache.token();
    cache.invalidate(refused);
    cache.invalidate(refused);
    const again = await Promise.all([cache.token(), cache.token(), cache.token()]);
    expect(again).toEqual(['token-2', 'token-2', 'token-2']);
    // A late 401 for the old token must not throw away the new one.
    cache.invalidate(refused);
    expect(await cache.token()).toBe('token-2');
    expect(state.mints).toBe(2);
  });

  it('lets the next caller try again after a failed mint', async () => {
    let attempts = 0;
    const cache = new AccessTokenCache(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('accounts service down');
      return { accessToken: 'fresh', expiresInSeconds: null };
    });
    await expect(cache.token()).rejects.toThrow('accounts service down');
    expect(await cache.token()).toBe('fresh');
  });
});

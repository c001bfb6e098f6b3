/**
 * One token bucket per provider, shared by every job in the process, plus a pause that a 429
 * (or MusicBrainz's 503) puts on the whole provider: when the provider says "wait", every
 * caller waits, not only the one that was told. The bucket itself is `limiter`'s TokenBucket
 * (FIFO waiters, one timer); the pause is ours because no bucket library models it.
 *
 * The configured rate is the whole cluster's: each process takes its share, the rate divided by
 * the processes calling providers now (cluster/cluster-members.ts sets it on each heartbeat).
 */
import { TokenBucket } from 'limiter';
import { sleep, untilAborted } from './abortable-wait';
import { ProviderError } from './types';

export interface RateLimiterSettings {
  /** Sustained rate. */
  requestsPerSecond: number;
  /** Requests allowed back to back after a quiet spell (the bucket size). */
  burst?: number;
  /** A pause longer than this fails `acquire` with RATE_LIMITED instead of holding the job. */
  maxWaitMs?: number;
  /** How error sentences name the provider ("Spotify"). */
  displayName?: string;
}

export class ProviderRateLimiter {
  private readonly bucket: TokenBucket;
  private pausedUntilMs = 0;
  private maxWaitMs = 60_000;
  private displayName: string;
  private settings: RateLimiterSettings;
  private share = 1;

  constructor(
    readonly provider: string,
    settings: RateLimiterSettings,
  ) {
    this.bucket = new TokenBucket({ bucketSize: 1, tokensPerInterval: 1, interval: 1000 });
    this.displayName = provider;
    this.settings = settings;
    this.configure(settings);
    this.bucket.content = this.bucket.bucketSize;
  }

  /** Applies new settings to the same bucket (tokens already in it stay, up to the new size). */
  configure(settings: RateLimiterSettings): void {
    this.settings = settings;
    const burst = settings.burst ?? Math.max(1, settings.requestsPerSecond);
    this.bucket.bucketSize = Math.max(1, Math.floor(burst / this.share));
    this.bucket.tokensPerInterval = settings.requestsPerSecond / this.share;
    this.bucket.content = Math.min(this.bucket.content, this.bucket.bucketSize);
    this.maxWaitMs = settings.maxWaitMs ?? 60_000;
    this.displayName = settings.displayName ?? this.provider;
  }

  /** This process's share of the cluster-wide rate: the configured rate (and burst) divided by `members`. */
  shareWith(members: number): void {
    this.share = Math.max(1, Math.floor(members));
    this.configure(this.settings);
  }

  /** The rate this process allows itself now (its share of the configured one). */
  get requestsPerSecond(): number {
    return this.bucket.tokensPerInterval;
  }

  /** Epoch ms until which the provider is paused (0 when it is not). */
  get pausedUntil(): number {
    return this.pausedUntilMs > Date.now() ? this.pausedUntilMs : 0;
  }

  /** Waits for a token and for any pause to end; rejects with the signal's reason if it aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      await this.waitOutPause(signal);
      // An aborted caller leaves its queued request behind; it spends one token later, which only errs on the slow side.
      await untilAborted(this.bucket.removeTokens(1), signal);
      // A 429 may have paused the provider while this caller queued for its token.
      if (Date.now() >= this.pausedUntilMs) return;
    }
  }

  /** Pause every caller of this provider for `delayMs` (extends, never shortens, a pause). */
  pauseFor(delayMs: number): void {
    const until = Date.now() + Math.max(0, delayMs);
    if (until <= this.pausedUntilMs) return;
    this.pausedUntilMs = until;
    // Restart slowly after the pause instead of firing a full burst into a provider that just said no.
    this.bucket.content = 0;
  }

  private async waitOutPause(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const remaining = this.pausedUntilMs - Date.now();
      if (remaining <= 0) return;
      if (remaining > this.maxWaitMs) {
        throw new ProviderError(
          this.provider,
          'RATE_LIMITED',
          `${this.displayName} asked us to pause for ${Math.ceil(remaining / 1000)} s, longer than the ${Math.ceil(this.maxWaitMs / 1000)} s we wait in a job; the job will retry later.`,
          { retryAfterMs: remaining },
        );
      }
      await sleep(remaining, signal);
    }
  }
}

// On globalThis: a second copy of this module (Next's bundle of a route) must share the server's limiters.
const limitersKey = Symbol.for('linernotes.rateLimiters');
const sharedLimiters = ((globalThis as Record<symbol, unknown>)[limitersKey] ??= new Map<string, ProviderRateLimiter>()) as Map<string, ProviderRateLimiter>;

/**
 * The process-wide limiter for a provider: every client built for it (two runtimes, two jobs)
 * gets the same instance, so together they never exceed the rate. The latest settings apply.
 */
export function sharedRateLimiter(provider: string, settings: RateLimiterSettings): ProviderRateLimiter {
  const existing = sharedLimiters.get(provider);
  if (existing) {
    existing.configure(settings);
    return existing;
  }
  const limiter = new ProviderRateLimiter(provider, settings);
  limiter.shareWith(clusterShare.members);
  sharedLimiters.set(provider, limiter);
  return limiter;
}

// Process-wide like the limiters: every limiter, made now or later, takes the same share.
const shareKey = Symbol.for('linernotes.rateLimitShare');
const clusterShare = ((globalThis as Record<symbol, unknown>)[shareKey] ??= { members: 1 }) as { members: number };

/** Every shared limiter's rate becomes the configured rate divided by `members` (the processes calling providers). */
export function shareRateLimits(members: number): void {
  clusterShare.members = Math.max(1, Math.floor(members));
  for (const limiter of sharedLimiters.values()) limiter.shareWith(clusterShare.members);
}

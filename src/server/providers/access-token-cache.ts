/**
 * A bearer token minted on demand and kept until shortly before it expires. Concurrent callers
 * share one mint (single flight): twenty jobs starting together cost one token request, and a
 * 401 seen by several calls at once re-mints once, because `invalidate` only drops the token
 * the failing call actually used.
 */
import { untilAborted } from './abortable-wait';

export interface MintedToken {
  accessToken: string;
  /** Lifetime the provider granted; null when it does not say (kept until a 401). */
  expiresInSeconds: number | null;
}

/** What an HTTP client needs to authorise a call and recover from a 401. */
export interface BearerTokenSource {
  token(signal?: AbortSignal): Promise<string>;
  /** The provider refused `token`: forget it so the next call mints a fresh one. */
  invalidate(token: string): void;
}

export class AccessTokenCache implements BearerTokenSource {
  private current: { token: string; expiresAtMs: number } | null = null;
  private minting: Promise<string> | null = null;

  constructor(
    private readonly mint: () => Promise<MintedToken>,
    private readonly options: { refreshMarginMs?: number; now?: () => number } = {},
  ) {}

  token(signal?: AbortSignal): Promise<string> {
    const now = this.options.now?.() ?? Date.now();
    if (this.current && now < this.current.expiresAtMs) return Promise.resolve(this.current.token);
    // The shared mint is not tied to one caller's signal: another caller may still want its result.
    this.minting ??= this.mintOnce();
    return untilAborted(this.minting, signal);
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async mintOnce(): Promise<string> {
    try {
      const minted = await this.mint();
      const now = this.options.now?.() ?? Date.now();
      const margin = this.options.refreshMarginMs ?? 60_000;
      const lifetimeMs = minted.expiresInSeconds === null ? Number.POSITIVE_INFINITY : minted.expiresInSeconds * 1000;
      // Refresh a little early so a token never expires between our check and the provider's.
      this.current = { token: minted.accessToken, expiresAtMs: now + Math.max(0, lifetimeMs - margin) };
      return minted.accessToken;
    } finally {
      this.minting = null;
    }
  }
}

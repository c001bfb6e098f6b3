/**
 * The one way a real provider client talks HTTP: every call waits for the provider's shared rate
 * limiter, runs under a timeout, retries what a retry can fix (429, 5xx, timeouts, refused
 * connections) with exponential backoff and full jitter, and turns everything else into a
 * ProviderError whose code a caller branches on and whose message a person can act on.
 *
 * A 429 (or a provider's own rate-limit status, MusicBrainz's 503) pauses the whole provider
 * for as long as its Retry-After / X-RateLimit-Reset says, so other jobs stop too. A 401 on an
 * authorised call drops the token and retries once with a fresh one. A caller's own abort is
 * rethrown as the signal's reason, never dressed up as a provider failure.
 */
import type { z } from 'zod';
import { sleep } from './abortable-wait';
import type { BearerTokenSource } from './access-token-cache';
import { exhaustedWindowDelay, retryDelayFromHeaders } from './rate-limit-headers';
import type { ProviderRateLimiter } from './rate-limiter';
import { ProviderError, type ProviderErrorCode } from './types';

export interface ProviderHttpSettings {
  /** Id carried by errors ("spotify"). */
  provider: string;
  /** How sentences name it ("Spotify"). */
  displayName: string;
  limiter: ProviderRateLimiter;
  timeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  userAgent?: string;
  /** Statuses that mean "slow down" besides 429. */
  rateLimitStatuses?: readonly number[];
  /** Where a person fixes refused credentials ("SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET"). */
  credentialsHint?: string;
  fetch?: typeof fetch;
  random?: () => number;
}

export interface ProviderRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  /** What the call fetches, for sentences: "the items of playlist 37i9…". */
  what: string;
  auth?: BearerTokenSource;
  /** A provider-specific reading of an error status, tried before the generic one. */
  errorForStatus?: (status: number, body: unknown) => ProviderError | null;
}

interface Attempt {
  number: number;
  lastRateLimitDelayMs: number | null;
}

export class ProviderHttpClient {
  private readonly fetch: typeof fetch;
  private readonly random: () => number;

  constructor(readonly settings: ProviderHttpSettings) {
    this.fetch = settings.fetch ?? globalThis.fetch;
    this.random = settings.random ?? Math.random;
  }

  /** Sends the request and parses a 2xx JSON answer with `schema`. */
  async json<T>(request: ProviderRequest, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const body = await this.send(request, signal);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown shape';
      throw this.error(
        'BAD_RESPONSE',
        `${this.settings.displayName} answered ${request.what} in a shape we do not understand (${where}). Its API may have changed; report this with the provider's name.`,
        { retryable: false },
      );
    }
    return parsed.data;
  }

  /** Sends the request and returns the parsed JSON body of a 2xx answer. */
  async send(request: ProviderRequest, signal?: AbortSignal): Promise<unknown> {
    const attempts = this.settings.retries + 1;
    const attempt: Attempt = { number: 0, lastRateLimitDelayMs: null };
    let reauthorised = false;
    for (;;) {
      attempt.number += 1;
      await this.settings.limiter.acquire(signal);
      const token = request.auth ? await request.auth.token(signal) : null;
      const outcome = await this.attemptOnce(request, token, signal);
      if (outcome.kind === 'ok') return outcome.body;

      if (outcome.kind === 'unauthorised' && request.auth && token !== null && !reauthorised) {
        // One fresh token per call: a second 401 means the credentials themselves are refused.
        reauthorised = true;
        request.auth.invalidate(token);
        attempt.number -= 1;
        continue;
      }
      if (outcome.kind === 'rate-limited') {
        attempt.lastRateLimitDelayMs = outcome.delayMs;
        this.settings.limiter.pauseFor(outcome.delayMs ?? this.backoffDelay(attempt.number));
        if (attempt.number < attempts) continue;
        throw this.error(
          'RATE_LIMITED',
          `${this.settings.displayName} kept rate-limiting ${request.what} after ${attempts} attempts${outcome.delayMs !== null ? ` (it asked us to wait ${Math.ceil(outcome.delayMs / 1000)} s)` : ''}; the job will retry later.`,
          { retryAfterMs: outcome.delayMs ?? undefined },
        );
      }
      if (outcome.kind === 'retryable' && attempt.number < attempts) {
        await sleep(this.backoffDelay(attempt.number), signal);
        continue;
      }
      throw outcome.kind === 'retryable' ? outcome.error(attempts) : outcome.error;
    }
  }

  private async attemptOnce(
    request: ProviderRequest,
    token: string | null,
    callerSignal: AbortSignal | undefined,
  ): Promise<
    | { kind: 'ok'; body: unknown }
    | { kind: 'unauthorised'; error: ProviderError }
    | { kind: 'rate-limited'; delayMs: number | null }
    | { kind: 'retryable'; error: (attempts: number) => ProviderError }
    | { kind: 'final'; error: ProviderError }
  > {
    const { displayName } = this.settings;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.settings.userAgent) headers['user-agent'] = this.settings.userAgent;
    if (token !== null) headers.authorization = `Bearer ${token}`;

    let response: Response;
    let text: string;
    try {
      response = await this.fetch(request.url, { method: request.method ?? 'GET', headers, body: request.body, signal });
      text = await response.text();
    } catch (cause) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timeout.aborted) {
        return {
          kind: 'retryable',
          error: (attempts) =>
            this.error(
              'TIMEOUT',
              `${displayName} did not answer ${request.what} within ${this.settings.timeoutMs} ms (${attempts} attempts); it may be overloaded, so try again later.`,
              { cause },
            ),
        };
      }
      return {
        kind: 'retryable',
        error: (attempts) =>
          this.error(
            'UNAVAILABLE',
            `Could not reach ${displayName} at ${request.url.origin} for ${request.what} (${describeCause(cause)}, ${attempts} attempts). Check the network, or the base URL setting if you changed it.`,
            { cause },
          ),
      };
    }

    const exhausted = exhaustedWindowDelay(response.headers);
    if (exhausted !== null && exhausted > 0) this.settings.limiter.pauseFor(exhausted);

    if (response.ok) {
      if (text.trim() === '') return { kind: 'ok', body: null };
      try {
        return { kind: 'ok', body: JSON.parse(text) as unknown };
      } catch (cause) {
        return {
          kind: 'final',
          error: this.error(
            'BAD_RESPONSE',
            `${displayName} answered ${request.what} with something that is not JSON (HTTP ${response.status}, starts "${text.slice(0, 40)}"). Its API may have changed or a proxy is in the way; report this with the provider's name.`,
            { cause, retryable: false },
          ),
        };
      }
    }

    const status = response.status;
    const body = parseJsonQuietly(text);
    const specific = request.errorForStatus?.(status, body);
    if (specific) return { kind: 'final', error: specific };

    if (status === 429 || this.settings.rateLimitStatuses?.includes(status)) {
      return { kind: 'rate-limited', delayMs: retryDelayFromHeaders(response.headers) };
    }
    const detail = providerMessage(body);
    if (status >= 500) {
      return {
        kind: 'retryable',
        error: (attempts) =>
          this.error(
            'UNAVAILABLE',
            `${displayName} failed ${request.what} with HTTP ${status}${detail} after ${attempts} attempts; it is having trouble, so try again later.`,
          ),
      };
    }
    const code = statusCode(status);
    const sentence: Record<ProviderErrorCode, string> = {
      AUTH: `${displayName} refused our credentials for ${request.what} (HTTP ${status}${detail}). Check ${this.settings.credentialsHint ?? 'the credentials in the environment'}.`,
      NOT_FOUND: `${displayName} has no ${request.what} (HTTP 404). Check the id or link.`,
      INVALID_INPUT: `${displayName} rejected the request for ${request.what} as invalid (HTTP ${status}${detail}). Check the id or link.`,
      BAD_RESPONSE: `${displayName} answered ${request.what} with an unexpected HTTP ${status}${detail}; report this with the provider's name.`,
      RESTRICTED: '',
      RATE_LIMITED: '',
      TIMEOUT: '',
      UNAVAILABLE: '',
    };
    const error = this.error(code, sentence[code], { retryable: false });
    return status === 401 ? { kind: 'unauthorised', error } : { kind: 'final', error };
  }

  /** Full jitter: a random delay up to base * 2^(attempt-1), capped, so retrying jobs spread out. */
  private backoffDelay(attemptNumber: number): number {
    const base = this.settings.backoffBaseMs ?? 250;
    const cap = this.settings.backoffMaxMs ?? 10_000;
    return Math.round(this.random() * Math.min(cap, base * 2 ** (attemptNumber - 1)));
  }

  private error(code: ProviderErrorCode, message: string, options: ConstructorParameters<typeof ProviderError>[3] = {}) {
    return new ProviderError(this.settings.provider, code, message, options);
  }
}

function statusCode(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 400 || status === 422) return 'INVALID_INPUT';
  return 'BAD_RESPONSE';
}

function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The sentence a provider put in its error body, if any (Spotify `{error:{message}}`, MusicBrainz `{error}`, OAuth `error_description`). */
function providerMessage(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const record = body as Record<string, unknown>;
  const nested = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>).message : undefined;
  const message = record.error_description ?? nested ?? record.message ?? (typeof record.error === 'string' ? record.error : undefined);
  return typeof message === 'string' && message.trim() ? `: ${message.trim().slice(0, 200)}` : '';
}

function describeCause(cause: unknown): string {
  const inner = cause instanceof Error && cause.cause instanceof Error ? cause.cause : cause;
  if (inner instanceof Error) {
    const code = (inner as Error & { code?: string }).code;
    return code ? `${code}` : inner.message;
  }
  return String(inner);
}

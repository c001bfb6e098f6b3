/**
 * How long a provider asks us to wait, read from its response headers.
 *
 * `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). `X-RateLimit-Reset`
 * has no standard: MusicBrainz and Chartmetric send epoch seconds, others send seconds from now,
 * so a value large enough to be a date (after 2001) is read as one.
 */

const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;
const EPOCH_MILLISECONDS_THRESHOLD = 1_000_000_000_000;

/** Milliseconds to wait before the next request, or null when the headers do not say. */
export function retryDelayFromHeaders(headers: Headers, nowMs: number = Date.now()): number | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), nowMs);
  if (retryAfter !== null) return retryAfter;
  return parseRateLimitReset(headers.get('x-ratelimit-reset'), nowMs);
}

/**
 * When a successful answer says the window is spent (`X-RateLimit-Remaining: 0`), the time its
 * `X-RateLimit-Reset` names; null otherwise. Waiting for it avoids the 429 the next call would get.
 */
export function exhaustedWindowDelay(headers: Headers, nowMs: number = Date.now()): number | null {
  const remaining = headers.get('x-ratelimit-remaining');
  if (remaining === null || Number(remaining.trim()) > 0) return null;
  return parseRateLimitReset(headers.get('x-ratelimit-reset'), nowMs);
}

export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

export function parseRateLimitReset(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  const number = Number(trimmed);
  if (number >= EPOCH_MILLISECONDS_THRESHOLD) return Math.max(0, Math.ceil(number - nowMs));
  if (number >= EPOCH_SECONDS_THRESHOLD) return Math.max(0, Math.ceil(number * 1000 - nowMs));
  return Math.ceil(number * 1000);
}

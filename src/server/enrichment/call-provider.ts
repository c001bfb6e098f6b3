/**
 * Calls a provider with retries: a retryable ProviderError (rate limited, timeout, outage) is
 * tried again after its Retry-After or an exponential backoff; anything else, or the last
 * retryable one, is thrown to the phase, which decides whether a track or the phase fails.
 */
import { backoffMs } from '../jobs/backoff';
import { ProviderError } from '../providers/types';
import { sleep } from '../providers/abortable-wait';

export interface ProviderRetry {
  attempts: number;
  baseMs: number;
  signal?: AbortSignal;
}

export async function callProvider<T>(call: () => Promise<T>, retry: ProviderRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    retry.signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || attempt >= retry.attempts) throw error;
      const wait = error.options.retryAfterMs ?? backoffMs(attempt, retry.baseMs, retry.baseMs * 16);
      await sleep(wait, retry.signal);
    }
  }
}

/** An outage the phase cannot work around: the phase (and this job attempt) fails. */
export function isOutage(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.retryable;
}

/** A sentence for a track's failure reason. */
export function reasonOf(error: unknown): string {
  if (error instanceof ProviderError) return `${error.provider}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

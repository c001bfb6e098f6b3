/**
 * Exponential backoff with "equal jitter": the wait doubles per attempt up to a cap, and half of
 * it is random so jobs that failed together (a provider outage) do not retry in lockstep.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** When a failed attempt runs again: after its backoff, or at once when the failure was not the job's (its worker died). */
export function retryAt(attempt: number, policy: { backoffBaseMs: number; backoffMaxMs: number; retryAtOnce?: boolean }): Date {
  return new Date(Date.now() + (policy.retryAtOnce ? 0 : backoffMs(attempt, policy.backoffBaseMs, policy.backoffMaxMs)));
}

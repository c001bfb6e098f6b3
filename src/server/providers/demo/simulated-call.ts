/** What makes a demo provider feel like a network API: latency, and the odd outage. */
import { ProviderError } from '../types';
import { sleep } from '../abortable-wait';

export interface SimulationOptions {
  latencyMs: number;
  /** Per track: the share of lookups that fail; per call, a third of it is a (retryable) outage. */
  failureRate: number;
  random?: () => number;
}

export async function simulateCall(provider: string, opts: SimulationOptions, signal?: AbortSignal): Promise<void> {
  const random = opts.random ?? Math.random;
  if (opts.latencyMs > 0) await sleep(opts.latencyMs * (0.5 + random()), signal);
  signal?.throwIfAborted();
  if (opts.failureRate > 0 && random() < opts.failureRate / 3) {
    throw new ProviderError(provider, 'UNAVAILABLE', `The demo ${provider} provider simulated an outage (DEMO_FAILURE_RATE=${opts.failureRate}); the call is retried.`);
  }
}

/** Whether this one item fails (the track is marked failed with a reason; the batch goes on). */
export function simulatedItemFailure(opts: SimulationOptions): boolean {
  return opts.failureRate > 0 && (opts.random ?? Math.random)() < opts.failureRate;
}

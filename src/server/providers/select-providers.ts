/**
 * The providers the pipeline uses: the demo catalog by default. The real clients (Spotify,
 * MusicBrainz, Chartmetric, The MLC) replace their demo sibling when their credentials are configured.
 */
import type { Config } from '../config';
import { createConfiguredProviders } from './configured-providers';
import { createDemoProviders } from './demo/create-demo-providers';
import type { Providers } from './types';

export function selectProviders(config: Config): Providers {
  const demo = createDemoProviders({
    latencyMs: config.DEMO_LATENCY_MS,
    failureRate: config.DEMO_FAILURE_RATE,
    churnMs: config.DEMO_CHURN_MS ?? config.PLAYLIST_REFRESH_INTERVAL_MS,
  });
  return createConfiguredProviders(config, demo);
}

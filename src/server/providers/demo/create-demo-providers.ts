/** The default providers: the offline demo catalog, credits and stats. */
import type { Providers } from '../types';
import { DemoCatalog } from './demo-catalog';
import { DemoCredits } from './demo-credits';
import { DemoStats } from './demo-stats';

export function createDemoProviders(opts: { latencyMs: number; failureRate: number; random?: () => number }): Providers {
  return { catalog: new DemoCatalog(opts), credits: new DemoCredits(opts), stats: new DemoStats(opts) };
}

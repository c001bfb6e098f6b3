/** The default providers: the offline demo catalog, credits, stats and rights. */
import type { Providers } from '../types';
import { DemoCatalog } from './demo-catalog';
import { DemoCredits } from './demo-credits';
import { DemoRights } from './demo-rights';
import { DemoStats } from './demo-stats';

/** `churnMs`: how often a demo playlist's tracks change (demoPlaylistTracks); unset, weekly. */
export function createDemoProviders(opts: { latencyMs: number; failureRate: number; random?: () => number; churnMs?: number }): Providers {
  return { catalog: new DemoCatalog(opts), credits: new DemoCredits(opts), stats: new DemoStats(opts), rights: new DemoRights(opts) };
}

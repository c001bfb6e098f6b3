/**
 * Refreshes a workspace's cached dashboard analytics and publishes analytics_updated (volatile:
 * the cache row holds the value, so a subscriber's snapshot has it too).
 */
import { lt } from 'drizzle-orm';
import { workspaces, analyticsCache } from '../db/schema';
import type { Runtime } from '../runtime';
import { computeAnalytics, type Analytics } from './compute-analytics';

export async function refreshAnalytics(runtime: Runtime, workspaceId: string): Promise<Analytics> {
  // Versioned by when the computation started: of two refreshes that overlap (two timers, two
  // processes), the one that read later wins, whichever finishes first, and only a value that
  // was stored is published, so subscribers never see an older value after a newer one.
  const readAt = new Date();
  const analytics = await computeAnalytics(runtime.db, workspaceId);
  const stored = await runtime.db
    .insert(analyticsCache)
    .values({ workspaceId, data: analytics, refreshedAt: readAt })
    .onConflictDoUpdate({
      target: analyticsCache.workspaceId,
      set: { data: analytics, refreshedAt: readAt },
      setWhere: lt(analyticsCache.refreshedAt, readAt),
    })
    .returning({ workspaceId: analyticsCache.workspaceId });
  if (stored.length > 0) {
    runtime.log.publish({ type: 'analytics_updated', workspaceId, keys: {}, data: { analytics, refreshedAt: readAt.toISOString() } });
  }
  return analytics;
}

export async function refreshAllAnalytics(runtime: Runtime): Promise<void> {
  const all = await runtime.db.select({ id: workspaces.id }).from(workspaces);
  for (const workspace of all) await refreshAnalytics(runtime, workspace.id);
}

/**
 * Refreshes a workspace's cached dashboard analytics and publishes analytics_updated (volatile:
 * the cache row holds the value, so a subscriber's snapshot has it too).
 */
import { workspaces, analyticsCache } from '../db/schema';
import type { Runtime } from '../runtime';
import { computeAnalytics, type Analytics } from './compute-analytics';

export async function refreshAnalytics(runtime: Runtime, workspaceId: string): Promise<Analytics> {
  const analytics = await computeAnalytics(runtime.db, workspaceId);
  const refreshedAt = new Date();
  await runtime.db
    .insert(analyticsCache)
    .values({ workspaceId, data: analytics, refreshedAt })
    .onConflictDoUpdate({ target: analyticsCache.workspaceId, set: { data: analytics, refreshedAt } });
  runtime.log.publish({ type: 'analytics_updated', workspaceId, keys: {}, data: { analytics, refreshedAt: refreshedAt.toISOString() } });
  return analytics;
}

export async function refreshAllAnalytics(runtime: Runtime): Promise<void> {
  const all = await runtime.db.select({ id: workspaces.id }).from(workspaces);
  for (const workspace of all) await refreshAnalytics(runtime, workspace.id);
}

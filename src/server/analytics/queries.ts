import { eq } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { analyticsCache } from '../db/schema';

/** The last refreshed dashboard analytics, or null before the first refresh. */
export async function latestAnalytics(db: Executor, workspaceId: string) {
  const [row] = await db.select().from(analyticsCache).where(eq(analyticsCache.workspaceId, workspaceId));
  return row ? { data: row.data, refreshedAt: row.refreshedAt.toISOString() } : null;
}

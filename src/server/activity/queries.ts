import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { activity } from '../db/schema';

/** Newest first; `cursor` is the last row of the previous page (createdAt|id). */
export async function listActivity(db: Executor, workspaceId: string, opts: { limit: number; cursor?: string | null }) {
  const [at, id] = opts.cursor ? opts.cursor.split('|') : [];
  const before =
    at && id
      ? or(lt(activity.createdAt, new Date(at)), and(eq(activity.createdAt, new Date(at)), lt(activity.id, id)))
      : undefined;
  const found = await db
    .select()
    .from(activity)
    .where(and(eq(activity.workspaceId, workspaceId), before))
    .orderBy(desc(activity.createdAt), desc(activity.id))
    .limit(opts.limit + 1);
  const items = found.slice(0, opts.limit).map(toDto);
  const last = items.at(-1);
  return { items, nextCursor: found.length > opts.limit && last ? `${last.createdAt}|${last.id}` : null };
}

import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { tags, trackTags } from '~/server/db/schema';
import type { TagColor } from './tag-colors';

export type TagRow = typeof tags.$inferSelect;

export interface TagDto {
  id: string;
  name: string;
  color: TagColor;
  createdAt: string;
  updatedAt: string;
}

export function tagDto(row: TagRow): TagDto {
  return { id: row.id, name: row.name, color: row.color as TagColor, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** The workspace's tags by name (case-insensitive), each with how many tracks carry it. */
export async function listTags(db: Executor, workspaceId: string) {
  const found = await db
    .select({ id: tags.id, name: tags.name, color: tags.color, createdAt: tags.createdAt, trackCount: count(trackTags.trackId) })
    .from(tags)
    .leftJoin(trackTags, eq(trackTags.tagId, tags.id))
    .where(eq(tags.workspaceId, workspaceId))
    .groupBy(tags.id)
    .orderBy(sql`lower(${tags.name})`, asc(tags.id));
  return found.map((row) => ({ id: row.id, name: row.name, color: row.color as TagColor, trackCount: Number(row.trackCount), createdAt: row.createdAt.toISOString() }));
}

/** The tag, locked against rename and delete until the transaction ends (FOR SHARE: taggers do not wait for each other). */
export async function lockTag(db: Executor, workspaceId: string, tagId: string, mode: 'share' | 'update'): Promise<TagRow | null> {
  const [row] = await db
    .select()
    .from(tags)
    .where(and(eq(tags.workspaceId, workspaceId), eq(tags.id, tagId)))
    .for(mode);
  return row ?? null;
}

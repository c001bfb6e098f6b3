/** Renames or recolours a tag; a change to neither is no change (no event). */
import { eq, sql } from 'drizzle-orm';
import { tags } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { lockTag, tagDto, type TagDto } from './queries';
import type { TagColor } from './tag-colors';
import { emitTagChanged } from './tag-changed';
import { TagError } from './tag-error';
import { claimTagName } from './tag-name';

export function updateTag(runtime: Runtime, workspaceId: string, tagId: string, input: { name?: string; color?: TagColor }): Promise<TagDto> {
  return runtime.log.transaction(async (tx) => {
    const tag = await lockTag(tx.db, workspaceId, tagId, 'update');
    if (!tag) throw new TagError('TAG_NOT_FOUND', `Tag ${tagId} was not found in this workspace.`);
    const name = input.name ?? tag.name;
    const color = input.color ?? tag.color;
    if (name === tag.name && color === tag.color) return tagDto(tag);
    // Only a different name (not a change of case) could clash with another tag.
    if (name.toLowerCase() !== tag.name.toLowerCase()) await claimTagName(tx, workspaceId, name, tag.id);
    const [row] = await tx.db.update(tags).set({ name, color, updatedAt: sql`now()` }).where(eq(tags.id, tag.id)).returning();
    emitTagChanged(tx, row!, 'updated');
    return tagDto(row!);
  });
}

import type { Runtime } from '~/server/runtime';
import { tags } from '~/server/db/schema';
import { tagDto, type TagDto } from './queries';
import type { TagColor } from './tag-colors';
import { emitTagChanged } from './tag-changed';
import { claimTagName } from './tag-name';

export function createTag(runtime: Runtime, workspaceId: string, input: { name: string; color: TagColor }): Promise<TagDto> {
  return runtime.log.transaction(async (tx) => {
    await claimTagName(tx, workspaceId, input.name);
    const [row] = await tx.db.insert(tags).values({ workspaceId, name: input.name, color: input.color }).returning();
    emitTagChanged(tx, row!, 'created');
    return tagDto(row!);
  });
}

/**
 * Deletes a tag, untagging every track that carried it: each of those tracks' history says so,
 * written by one INSERT ... SELECT over the tag's rows before they cascade away.
 */
import { eq, sql } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { rows } from '~/server/db/database';
import { tags, trackHistory, trackTags } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { plural } from '~/server/tracks/track-history';
import { lockTag } from './queries';
import { emitTagChanged } from './tag-changed';
import { TagError } from './tag-error';

export function removeTag(runtime: Runtime, workspaceId: string, tagId: string, by: string | null): Promise<{ id: string }> {
  return runtime.log.transaction(async (tx) => {
    const tag = await lockTag(tx.db, workspaceId, tagId, 'update');
    if (!tag) throw new TagError('TAG_NOT_FOUND', `Tag ${tagId} was not found in this workspace.`);
    const [untagged] = await rows<{ n: number }>(
      tx.db,
      sql`WITH written AS (
            INSERT INTO ${trackHistory} (workspace_id, track_id, kind, message, by)
            SELECT ${trackTags.workspaceId}, ${trackTags.trackId}, 'untagged', ${`Untagged "${tag.name}" (the tag was deleted).`}, ${by}::text
            FROM ${trackTags} WHERE ${trackTags.tagId} = ${tag.id}
            RETURNING 1)
          SELECT count(*)::int AS n FROM written`,
    );
    await tx.db.delete(tags).where(eq(tags.id, tag.id));
    emitTagChanged(tx, tag, 'deleted');
    const n = Number(untagged?.n ?? 0);
    await logActivity(tx, { workspaceId, kind: 'tag_deleted', message: `Deleted tag "${tag.name}"${n > 0 ? ` (it was on ${plural(n, 'track')})` : ''}.` });
    return { id: tag.id };
  });
}

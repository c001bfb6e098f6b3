/**
 * Tag names are unique in a workspace regardless of case ("Focus" and "focus" are one tag). The
 * unique index on lower(name) is the guarantee; this check, made under a per-workspace lock, is
 * what turns a clash into a sentence instead of a constraint error.
 */
import { and, eq, ne, sql } from 'drizzle-orm';
import { tags } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import { TagError } from './tag-error';

/** Holds the workspace's tag names until the transaction ends, and refuses `name` if another tag has it. */
export async function claimTagName(tx: Tx, workspaceId: string, name: string, exceptTagId?: string): Promise<void> {
  // Two creates of "Focus" at once: the second waits here, then sees the first's row.
  await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`tags:${workspaceId}`}))`);
  const [taken] = await tx.db
    .select({ name: tags.name })
    .from(tags)
    .where(and(eq(tags.workspaceId, workspaceId), sql`lower(${tags.name}) = lower(${name})`, exceptTagId ? ne(tags.id, exceptTagId) : undefined));
  if (taken) throw new TagError('TAG_NAME_TAKEN', `A tag named "${taken.name}" already exists in this workspace; pick another name, or use that tag.`);
}

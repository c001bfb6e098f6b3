/**
 * A contact's owner must be a member of the workspace. Their membership row is locked FOR KEY
 * SHARE, so they are not removed from the workspace before the assignment commits.
 */
import { and, eq } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { members, users } from '~/server/db/schema';
import { ContactError } from './contact-error';

export async function ownerIn(db: Executor, workspaceId: string, userId: string): Promise<{ id: string; name: string }> {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.organizationId, workspaceId), eq(members.userId, userId)))
    .for('key share', { of: members });
  if (!row) {
    throw new ContactError('OWNER_NOT_MEMBER', `User ${userId} is not a member of this workspace: a contact's owner must be one. Invite them first, or choose a member.`);
  }
  return row;
}

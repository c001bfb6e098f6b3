/**
 * Takes a songwriter off the contacts (the board and the contacts list). Their notes stay with
 * the songwriter: adding them again brings the history back.
 */
import { and, eq } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { contacts } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import { emitContactChanged, loadContact } from './contact-state';
import { lockContact } from './lock-contact';
import { lockSongwriter } from './lock-songwriter';
import { stageLabels } from './stage-labels';

export function removeContact(runtime: Runtime, workspaceId: string, input: { songwriterId: string; by: string | null }): Promise<{ songwriterId: string }> {
  return runtime.log.transaction(async (tx) => {
    const songwriter = await lockSongwriter(tx.db, workspaceId, input.songwriterId);
    const contact = await lockContact(tx.db, workspaceId, songwriter);
    const last = await loadContact(tx.db, workspaceId, songwriter.id);
    await tx.db.delete(contacts).where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.songwriterId, songwriter.id)));
    emitContactChanged(tx, workspaceId, last, 'removed', contact.stage, input.by);
    await logActivity(tx, {
      workspaceId,
      kind: 'contact_removed',
      message: `Removed "${songwriter.name}" from contacts (was ${stageLabels[contact.stage]}).`,
      keys: { songwriterId: songwriter.id },
    });
    return { songwriterId: songwriter.id };
  });
}

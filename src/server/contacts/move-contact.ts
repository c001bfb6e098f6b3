/**
 * Moves a card on the board: into a stage's column, before a card of that column or at its end
 * (board-column.ts says how places are numbered and why the board is locked). Moving a card
 * before itself leaves it where it is.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { contacts, type ContactStage } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { ContactSummary } from '~/server/songwriters/types';
import { lockBoard, placeCard } from './board-column';
import { contactDto, emitContactChanged, loadContact, loadContacts } from './contact-state';
import { lockContact } from './lock-contact';
import { lockSongwriter } from './lock-songwriter';
import { stageLabels } from './stage-labels';

export interface MoveContactInput {
  songwriterId: string;
  stage: ContactStage;
  /** The card to place it before; null or absent for the end of the column. */
  beforeId?: string | null;
  by: string | null;
}

export function moveContact(runtime: Runtime, workspaceId: string, input: MoveContactInput): Promise<ContactSummary & { songwriterId: string }> {
  return runtime.log.transaction(async (tx) => {
    await lockBoard(tx.db, workspaceId);
    const songwriter = await lockSongwriter(tx.db, workspaceId, input.songwriterId);
    const contact = await lockContact(tx.db, workspaceId, songwriter);
    if (input.beforeId === songwriter.id && contact.stage === input.stage) return contactDto(await loadContact(tx.db, workspaceId, songwriter.id));

    const placement = await placeCard(tx.db, workspaceId, input.stage, songwriter.id, input.beforeId ?? null);
    await tx.db
      .update(contacts)
      .set({ stage: input.stage, position: placement.position, updatedAt: sql`now()` })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.songwriterId, songwriter.id)));
    // The renumbered cards first: a board applying positions as they come is in order after each event.
    const renumbered = await loadContacts(tx.db, workspaceId, placement.renumbered.map((card) => card.songwriterId));
    for (const card of placement.renumbered) emitContactChanged(tx, workspaceId, renumbered.get(card.songwriterId)!, 'moved', input.stage, input.by);
    const state = await loadContact(tx.db, workspaceId, songwriter.id);
    emitContactChanged(tx, workspaceId, state, 'moved', contact.stage, input.by);
    await logActivity(tx, {
      workspaceId,
      kind: 'contact_moved',
      message:
        contact.stage === input.stage
          ? `Reordered "${songwriter.name}" in ${stageLabels[input.stage]}.`
          : `Moved "${songwriter.name}" from ${stageLabels[contact.stage]} to ${stageLabels[input.stage]}.`,
      keys: { songwriterId: songwriter.id },
    });
    return contactDto(state);
  });
}

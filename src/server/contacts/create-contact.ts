/**
 * Makes a songwriter a contact: a card at the end of its stage's column ("new" unless told),
 * with an owner (a member of the workspace) and handles if given. One contact per songwriter: a
 * second is a CONTACT_EXISTS refusal, whoever got there first.
 */
import { logActivity } from '~/server/activity/log-activity';
import { contacts, type ContactStage } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { ContactHandles, ContactSummary } from '~/server/songwriters/types';
import { lockBoard, placeCard } from './board-column';
import { ContactError } from './contact-error';
import { ownerIn } from './contact-owner';
import { contactDto, emitContactChanged, loadContact } from './contact-state';
import { lockSongwriter } from './lock-songwriter';
import { stageLabels } from './stage-labels';

export interface CreateContactInput {
  songwriterId: string;
  stage?: ContactStage;
  ownerId?: string | null;
  handles?: ContactHandles;
  /** The person asking; null for an API key. */
  by: string | null;
}

export function createContact(runtime: Runtime, workspaceId: string, input: CreateContactInput): Promise<ContactSummary & { songwriterId: string }> {
  const stage = input.stage ?? 'new';
  return runtime.log.transaction(async (tx) => {
    await lockBoard(tx.db, workspaceId);
    const songwriter = await lockSongwriter(tx.db, workspaceId, input.songwriterId);
    const owner = input.ownerId ? await ownerIn(tx.db, workspaceId, input.ownerId) : null;
    const { position } = await placeCard(tx.db, workspaceId, stage, songwriter.id, null);
    // Two people adding the same songwriter at once: the second insert waits for the first and inserts nothing.
    const [row] = await tx.db
      .insert(contacts)
      .values({ songwriterId: songwriter.id, workspaceId, stage, ownerId: owner?.id ?? null, handles: input.handles ?? {}, position, createdBy: input.by })
      .onConflictDoNothing()
      .returning({ songwriterId: contacts.songwriterId });
    if (!row) throw new ContactError('CONTACT_EXISTS', `"${songwriter.name}" is already a contact: move the card or update it instead.`);
    const state = await loadContact(tx.db, workspaceId, songwriter.id);
    emitContactChanged(tx, workspaceId, state, 'created', null, input.by);
    await logActivity(tx, {
      workspaceId,
      kind: 'contact_created',
      message: `Added "${songwriter.name}" to contacts (${stageLabels[stage]}${owner ? `, owner ${owner.name}` : ''}).`,
      keys: { songwriterId: songwriter.id },
    });
    return contactDto(state);
  });
}

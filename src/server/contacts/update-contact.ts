/**
 * Gives a contact an owner (or none) and replaces its handles. A request that changes nothing
 * writes nothing and tells no one.
 */
import { and, eq, sql } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { contacts } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { ContactHandles, ContactSummary } from '~/server/songwriters/types';
import { ownerIn } from './contact-owner';
import { contactDto, emitContactChanged, loadContact } from './contact-state';
import { lockContact } from './lock-contact';
import { lockSongwriter } from './lock-songwriter';

export interface UpdateContactInput {
  songwriterId: string;
  /** A member's user id, null for nobody; absent leaves the owner as it is. */
  ownerId?: string | null;
  /** The full set (absent ones are removed); absent leaves the handles as they are. */
  handles?: ContactHandles;
  by: string | null;
}

export function updateContact(runtime: Runtime, workspaceId: string, input: UpdateContactInput): Promise<ContactSummary & { songwriterId: string }> {
  return runtime.log.transaction(async (tx) => {
    const songwriter = await lockSongwriter(tx.db, workspaceId, input.songwriterId);
    const contact = await lockContact(tx.db, workspaceId, songwriter);
    const owner = input.ownerId ? await ownerIn(tx.db, workspaceId, input.ownerId) : null;
    const ownerId = input.ownerId === undefined ? contact.ownerId : (owner?.id ?? null);
    const handles = input.handles ?? contact.handles;
    const ownerChanged = ownerId !== contact.ownerId;
    const handlesChanged = !sameHandles(handles, contact.handles);
    if (!ownerChanged && !handlesChanged) return contactDto(await loadContact(tx.db, workspaceId, songwriter.id));

    await tx.db
      .update(contacts)
      .set({ ownerId, handles, updatedAt: sql`now()` })
      .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.songwriterId, songwriter.id)));
    const state = await loadContact(tx.db, workspaceId, songwriter.id);
    emitContactChanged(tx, workspaceId, state, 'updated', contact.stage, input.by);
    const changes = [
      ...(ownerChanged ? [ownerId ? `gave it to ${owner!.name}` : 'left it without an owner'] : []),
      ...(handlesChanged ? [describeHandles(handles)] : []),
    ];
    await logActivity(tx, {
      workspaceId,
      kind: 'contact_updated',
      message: `Updated the contact "${songwriter.name}": ${changes.join('; ')}.`,
      keys: { songwriterId: songwriter.id },
    });
    return contactDto(state);
  });
}

function sameHandles(a: ContactHandles, b: ContactHandles): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof ContactHandles>;
  return [...keys].every((key) => (a[key] ?? '') === (b[key] ?? ''));
}

function describeHandles(handles: ContactHandles): string {
  const kinds = Object.keys(handles);
  return kinds.length === 0 ? 'cleared its handles' : `set its handles (${kinds.join(', ')})`;
}

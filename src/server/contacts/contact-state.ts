/**
 * A contact as procedures return it and as `contact_changed` carries it: its row with the
 * songwriter's name, the owner's name and the songwriter's note count.
 */
import { and, count, eq, inArray } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { contactNotes, contacts, songwriters, users, type ContactStage } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import type { ContactSummary } from '~/server/songwriters/types';

export interface ContactState extends ContactSummary {
  songwriterId: string;
  /** The songwriter's name. */
  name: string;
}

/** The contacts of these songwriters in the workspace, by songwriter id (songwriters without one are absent). */
export async function loadContacts(db: Executor, workspaceId: string, songwriterIds: readonly string[]): Promise<Map<string, ContactState>> {
  if (songwriterIds.length === 0) return new Map();
  const ids = [...new Set(songwriterIds)];
  const found = await db
    .select({
      songwriterId: contacts.songwriterId,
      name: songwriters.name,
      stage: contacts.stage,
      ownerId: contacts.ownerId,
      ownerName: users.name,
      handles: contacts.handles,
      position: contacts.position,
      updatedAt: contacts.updatedAt,
    })
    .from(contacts)
    .innerJoin(songwriters, eq(songwriters.id, contacts.songwriterId))
    .leftJoin(users, eq(users.id, contacts.ownerId))
    .where(and(eq(contacts.workspaceId, workspaceId), inArray(contacts.songwriterId, ids)));
  const notes = await noteCounts(db, workspaceId, ids);
  return new Map(
    found.map((row) => [
      row.songwriterId,
      {
        songwriterId: row.songwriterId,
        name: row.name,
        stage: row.stage,
        ownerId: row.ownerId,
        ownerName: row.ownerName ?? null,
        handles: row.handles,
        position: row.position,
        notes: notes.get(row.songwriterId) ?? 0,
        updatedAt: row.updatedAt.toISOString(),
      },
    ]),
  );
}

/** The contact of one songwriter; the caller knows it exists (it wrote or locked the row). */
export async function loadContact(db: Executor, workspaceId: string, songwriterId: string): Promise<ContactState> {
  const state = (await loadContacts(db, workspaceId, [songwriterId])).get(songwriterId);
  if (!state) throw new Error(`contact of ${songwriterId} vanished inside its own transaction`);
  return state;
}

export async function noteCounts(db: Executor, workspaceId: string, songwriterIds: readonly string[]): Promise<Map<string, number>> {
  if (songwriterIds.length === 0) return new Map();
  const rows = await db
    .select({ songwriterId: contactNotes.songwriterId, notes: count() })
    .from(contactNotes)
    .where(and(eq(contactNotes.workspaceId, workspaceId), inArray(contactNotes.songwriterId, [...songwriterIds])))
    .groupBy(contactNotes.songwriterId);
  return new Map(rows.map((row) => [row.songwriterId, Number(row.notes)]));
}

/** What procedures return: the summary and whose contact it is. */
export function contactDto(state: ContactState): ContactSummary & { songwriterId: string } {
  const { name: _name, ...dto } = state;
  return dto;
}

export type ContactChange = 'created' | 'moved' | 'updated' | 'removed';

/** contact_changed with the contact's state after the change (for `removed`, its last state). */
export function emitContactChanged(
  tx: Tx,
  workspaceId: string,
  state: Pick<ContactState, 'songwriterId' | 'name' | 'stage' | 'ownerId' | 'ownerName' | 'handles' | 'position'>,
  change: ContactChange,
  previousStage: ContactStage | null,
  by: string | null,
): void {
  tx.emit({
    type: 'contact_changed',
    workspaceId,
    keys: { songwriterId: state.songwriterId },
    data: {
      songwriterId: state.songwriterId,
      name: state.name,
      change,
      stage: state.stage,
      previousStage,
      ownerId: state.ownerId,
      ownerName: state.ownerName,
      handles: state.handles as Record<string, string>,
      position: state.position,
      by,
    },
  });
}


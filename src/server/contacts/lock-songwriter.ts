/**
 * The songwriter a contact request is about, locked FOR SHARE until the transaction ends: a merge
 * (which moves contacts between records) or a rescore waits for the request, and the request
 * never acts on a record that is being merged away. A record merged into another is refused with
 * where it went, so the caller can follow it.
 */
import { and, eq } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { songwriters } from '~/server/db/schema';
import { ContactError } from './contact-error';

/** How far a chain of merges is followed to name the record that holds them now. */
const MAX_MERGE_HOPS = 20;

export async function lockSongwriter(db: Executor, workspaceId: string, songwriterId: string): Promise<{ id: string; name: string }> {
  const [row] = await db
    .select({ id: songwriters.id, name: songwriters.name, mergedIntoId: songwriters.mergedIntoId })
    .from(songwriters)
    .where(and(eq(songwriters.workspaceId, workspaceId), eq(songwriters.id, songwriterId)))
    .for('share');
  if (!row) throw new ContactError('SONGWRITER_NOT_FOUND', `Songwriter ${songwriterId} was not found in this workspace.`);
  if (row.mergedIntoId) {
    const survivor = await survivorOf(db, workspaceId, row.mergedIntoId);
    throw new ContactError(
      'SONGWRITER_MERGED',
      `Songwriter "${row.name}" (${row.id}) was merged into "${survivor.name}" (${survivor.id}): act on that record instead.`,
    );
  }
  return { id: row.id, name: row.name };
}

/** The record a merged one ended up in, following merges of merges. */
async function survivorOf(db: Executor, workspaceId: string, firstId: string): Promise<{ id: string; name: string }> {
  let current = { id: firstId, name: firstId };
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
    const [row] = await db
      .select({ id: songwriters.id, name: songwriters.name, mergedIntoId: songwriters.mergedIntoId })
      .from(songwriters)
      .where(and(eq(songwriters.workspaceId, workspaceId), eq(songwriters.id, current.id)));
    if (!row) return current;
    current = { id: row.id, name: row.name };
    if (!row.mergedIntoId) return current;
    current = { id: row.mergedIntoId, name: row.mergedIntoId };
  }
  return current;
}

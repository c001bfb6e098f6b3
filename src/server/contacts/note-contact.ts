/**
 * A person's note on a songwriter ("left a voicemail", "manager is Jo"): kept with the songwriter
 * whether or not they are a contact yet, told as contact_noted to whoever has them on screen, and
 * a line in the workspace's activity feed.
 */
import { logActivity } from '~/server/activity/log-activity';
import { contactNotes } from '~/server/db/schema';
import type { Runtime } from '~/server/runtime';
import type { ContactNote } from '~/server/songwriters/types';
import { lockSongwriter } from './lock-songwriter';

/** How much of the note the activity line quotes. */
const QUOTED_CHARS = 200;

export function noteContact(
  runtime: Runtime,
  workspaceId: string,
  input: { songwriterId: string; body: string; by: string | null; byName: string | null },
): Promise<ContactNote> {
  return runtime.log.transaction(async (tx) => {
    const songwriter = await lockSongwriter(tx.db, workspaceId, input.songwriterId);
    const [note] = await tx.db.insert(contactNotes).values({ workspaceId, songwriterId: songwriter.id, body: input.body, by: input.by }).returning();
    const at = note!.createdAt.toISOString();
    tx.emit({
      type: 'contact_noted',
      workspaceId,
      keys: { songwriterId: songwriter.id },
      data: { songwriterId: songwriter.id, noteId: note!.id, body: input.body, by: input.by, byName: input.byName, at },
    });
    const chars = [...input.body]; // by code point, so a cut never splits a surrogate pair
    const quoted = chars.length > QUOTED_CHARS ? `${chars.slice(0, QUOTED_CHARS).join('')}…` : input.body;
    await logActivity(tx, { workspaceId, kind: 'contact_note', message: `Note on "${songwriter.name}": ${quoted}`, keys: { songwriterId: songwriter.id } });
    return { id: note!.id, body: input.body, by: input.by, byName: input.byName, at };
  });
}

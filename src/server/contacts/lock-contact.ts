/** The contact of a songwriter, locked FOR UPDATE until the transaction ends; refused when there is none. */
import { and, eq } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';
import { contacts } from '~/server/db/schema';
import { ContactError } from './contact-error';

export type ContactRow = typeof contacts.$inferSelect;

export async function lockContact(db: Executor, workspaceId: string, songwriter: { id: string; name: string }): Promise<ContactRow> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.songwriterId, songwriter.id)))
    .for('update');
  if (!row) throw new ContactError('CONTACT_NOT_FOUND', `"${songwriter.name}" is not a contact: add them to contacts first.`);
  return row;
}

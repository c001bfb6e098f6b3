/** First-start facts every process needs: the database's event epoch and the default workspace. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from './database';
import { meta, workspaces } from './schema';

/**
 * The epoch names this database's event stream. It is minted once, when the database is new,
 * so an id from a wiped or restored database (another epoch) is told apart from a live one.
 */
export async function ensureEpoch(db: Database): Promise<string> {
  const minted = randomBytes(6).toString('base64url');
  await db.insert(meta).values({ key: 'epoch', value: minted }).onConflictDoNothing();
  const [row] = await db.select().from(meta).where(eq(meta.key, 'epoch'));
  return row!.value;
}

/** Until sign-in exists every request acts for this workspace; it is created at first start. */
export async function ensureDefaultWorkspace(db: Database): Promise<string> {
  const [existing] = await db.select().from(workspaces).where(eq(workspaces.isDefault, true)).limit(1);
  if (existing) return existing.id;
  const [created] = await db
    .insert(workspaces)
    .values({ name: 'My workspace', isDefault: true })
    .returning();
  return created!.id;
}

/** First-start facts every process needs: the database's event epoch. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from './database';
import { meta } from './schema';

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

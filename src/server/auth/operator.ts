/**
 * Operators see the whole process (the ops page: connections, event rates, queues of every
 * workspace), so they are named by the deployment, not by a workspace role: OPERATOR_EMAILS, or,
 * when that is unset, the first account of the database (the person who installed it).
 */
import { asc, eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { users } from '../db/schema';
import type { Caller } from './caller';

export async function isOperator(db: Database, config: Pick<Config, 'OPERATOR_EMAILS'>, caller: Caller): Promise<boolean> {
  if (caller.kind !== 'session' || !caller.userId) return false;
  if (config.OPERATOR_EMAILS.length > 0) {
    const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, caller.userId));
    return !!user && config.OPERATOR_EMAILS.includes(user.email.toLowerCase());
  }
  const [first] = await db.select({ id: users.id }).from(users).orderBy(asc(users.createdAt), asc(users.id)).limit(1);
  return first?.id === caller.userId;
}

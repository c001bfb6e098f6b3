/**
 * Who a name or an IPI is (songwriter_aliases) changes in two ways: credit syncs add aliases,
 * merges, splits and their undos move them. A transaction-scoped lock per workspace keeps the two
 * apart: syncs take it shared (they run side by side; inserts ON CONFLICT settle their races), a
 * move takes it exclusive. So a sync never credits a record that a merge is emptying, and a merge
 * never moves aliases under a sync that has just read them. Taken before any songwriter row is
 * touched, so it cannot join a cycle of row locks.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '~/server/db/database';

const lockKey = (workspaceId: string) => sql`hashtext(${`songwriter-identity:${workspaceId}`})`;

export async function lockIdentitiesShared(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock_shared(${lockKey(workspaceId)})`);
}

export async function lockIdentitiesExclusive(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(${lockKey(workspaceId)})`);
}

/**
 * The row moves behind merge, split and undo (identity-ops.ts), each one statement whatever the
 * number of rows: a songwriter's aliases, credits, contact and notes change owner. What moved is
 * returned as `IdentityMoves`, the shape songwriter_identity_ops keeps so an undo can move back
 * exactly those rows. The caller holds the workspace's identity lock and the records' row locks.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { contactNotes, contacts, songwriterAliases, songwriterCredits, type IdentityMoves, type SongwriterAliasKind } from '~/server/db/schema';

export type Moved = IdentityMoves[string];

/** Everything `fromIds` hold (aliases, credits, notes) now belongs to `intoId`; the contact is moved apart (moveContact). */
export async function moveEverything(db: Executor, workspaceId: string, fromIds: readonly string[], intoId: string): Promise<IdentityMoves> {
  const from = sql`${sql.param([...fromIds])}::text[]`;
  const aliases = await rows<{ from_id: string; kind: SongwriterAliasKind; key: string }>(
    db,
    sql`WITH m AS (SELECT kind, key, songwriter_id AS from_id FROM ${songwriterAliases} WHERE workspace_id = ${workspaceId} AND songwriter_id = ANY(${from}))
        UPDATE ${songwriterAliases} a SET songwriter_id = ${intoId} FROM m
        WHERE a.workspace_id = ${workspaceId} AND a.kind = m.kind AND a.key = m.key RETURNING m.from_id, a.kind, a.key`,
  );
  const credits = await rows<{ from_id: string; track_id: string; name_key: string }>(
    db,
    sql`WITH m AS (SELECT track_id, name_key, songwriter_id AS from_id FROM ${songwriterCredits} WHERE workspace_id = ${workspaceId} AND songwriter_id = ANY(${from}))
        UPDATE ${songwriterCredits} c SET songwriter_id = ${intoId} FROM m
        WHERE c.track_id = m.track_id AND c.name_key = m.name_key RETURNING m.from_id, c.track_id, c.name_key`,
  );
  const notes = await rows<{ from_id: string; id: string }>(
    db,
    sql`WITH m AS (SELECT id, songwriter_id AS from_id FROM ${contactNotes} WHERE workspace_id = ${workspaceId} AND songwriter_id = ANY(${from}))
        UPDATE ${contactNotes} n SET songwriter_id = ${intoId} FROM m WHERE n.id = m.id RETURNING m.from_id, n.id`,
  );
  const moves: IdentityMoves = Object.fromEntries(fromIds.map((id) => [id, { aliases: [], credits: [], notes: [] }]));
  for (const row of aliases) moves[row.from_id]!.aliases.push({ kind: row.kind, key: row.key });
  for (const row of credits) moves[row.from_id]!.credits.push({ trackId: row.track_id, nameKey: row.name_key });
  for (const row of notes) moves[row.from_id]!.notes!.push(row.id);
  return moves;
}

/** Moves the listed rows that `holderId` still holds to `toId` (rows gone or moved on since stay as they are). */
export async function moveListed(db: Executor, workspaceId: string, holderId: string, toId: string, listed: Moved): Promise<void> {
  const text = (values: readonly string[]) => sql`${sql.param([...values])}::text[]`;
  if (listed.aliases.length > 0) {
    await db.execute(sql`UPDATE ${songwriterAliases} a SET songwriter_id = ${toId}
      FROM unnest(${text(listed.aliases.map((a) => a.kind))}, ${text(listed.aliases.map((a) => a.key))}) AS u(kind, key)
      WHERE a.workspace_id = ${workspaceId} AND a.songwriter_id = ${holderId} AND a.kind = u.kind AND a.key = u.key`);
  }
  if (listed.credits.length > 0) {
    await db.execute(sql`UPDATE ${songwriterCredits} c SET songwriter_id = ${toId}
      FROM unnest(${text(listed.credits.map((c) => c.trackId))}, ${text(listed.credits.map((c) => c.nameKey))}) AS u(track_id, name_key)
      WHERE c.workspace_id = ${workspaceId} AND c.songwriter_id = ${holderId} AND c.track_id = u.track_id AND c.name_key = u.name_key`);
  }
  if (listed.notes?.length) {
    await db.execute(sql`UPDATE ${contactNotes} SET songwriter_id = ${toId}
      WHERE workspace_id = ${workspaceId} AND songwriter_id = ${holderId} AND id = ANY(${text(listed.notes)})`);
  }
  if (listed.contact) await moveContact(db, workspaceId, holderId, toId);
}

/** Moves `fromId`'s contact (stage, owner, handles, place on the board) to `toId`, if `toId` has none. */
export async function moveContact(db: Executor, workspaceId: string, fromId: string, toId: string): Promise<void> {
  await db.execute(sql`UPDATE ${contacts} SET songwriter_id = ${toId}
    WHERE workspace_id = ${workspaceId} AND songwriter_id = ${fromId}
      AND NOT EXISTS (SELECT 1 FROM ${contacts} other WHERE other.songwriter_id = ${toId})`);
}

/** Which of these songwriters are contacts. */
export async function contactHolders(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await rows<{ songwriter_id: string }>(
    db,
    sql`SELECT songwriter_id FROM ${contacts} WHERE workspace_id = ${workspaceId} AND songwriter_id = ANY(${sql.param([...ids])}::text[]) FOR UPDATE`,
  );
  return new Set(found.map((row) => row.songwriter_id));
}

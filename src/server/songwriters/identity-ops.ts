/**
 * A person's corrections to who is who: merge records that are one person, split off aliases
 * that are another, and undo either. Each is one transaction that records what it moved
 * (songwriter_identity_ops.moved), emits songwriter_merged, writes an activity row and rescores the
 * records involved, so a refusal (a CONFLICT or NOT_FOUND with a sentence) leaves nothing
 * half-written.
 *
 * - Merge (ids into intoId): every alias, credit and note of the merged records moves to the
 *   survivor, and a merged record's contact too when the survivor has none (two contacts: refused,
 *   one must be removed first). The merged records stay, marked merged_into_id, holding nothing.
 * - Split (aliases off a record): a new record takes those aliases and the credits made under
 *   them (a credit whose name key is a moved name, or whose IPI is a moved IPI). Contact and
 *   notes stay with the original.
 * - Undo: a merge moves back exactly the rows it moved that the survivor still holds, and the
 *   records are live again; a split's record is folded back into its origin (with whatever it
 *   gathered since) and marked merged into it.
 * Only the latest not-undone operation touching a record can be undone: an earlier one's rows may
 * have moved on since (undoing it first would scatter them).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { logActivity } from '~/server/activity/log-activity';
import { rows, type Executor } from '~/server/db/database';
import { songwriterAliases, songwriterCredits, songwriterIdentityOps, songwriters, type SongwriterAliasKind } from '~/server/db/schema';
import type { Tx } from '~/server/events/event-log';
import type { Runtime } from '~/server/runtime';
import { lockBoard } from '~/server/contacts/board-column';
import { lockIdentitiesExclusive } from './identity-lock';
import { contactHolders, moveContact, moveEverything, moveListed, type Moved } from './identity-moves';
import { rescoreSongwriters } from './rescore';
import { SongwriterError } from './songwriter-error';

type OperationRow = typeof songwriterIdentityOps.$inferSelect;

interface SongwriterRecord {
  id: string;
  name: string;
  mergedIntoId: string | null;
}

export interface MergeInput {
  intoId: string;
  ids: readonly string[];
  /** The person asking; null for an API key. */
  by: string | null;
}

export async function mergeSongwriters(runtime: Runtime, workspaceId: string, input: MergeInput): Promise<{ operationId: string }> {
  const ids = [...new Set(input.ids)];
  if (ids.includes(input.intoId)) {
    throw new SongwriterError('MERGE_INTO_ITSELF', `Songwriter ${input.intoId} is the record you merge into: list only the other records in ids.`);
  }
  return runtime.log.transaction(async (tx) => {
    await lockIdentitiesExclusive(tx.db, workspaceId);
    // A contact may move: the board's lock before any songwriter row, in the order placing a card takes them.
    await lockBoard(tx.db, workspaceId);
    const records = await lockLiveRecords(tx.db, workspaceId, [input.intoId, ...ids]);
    const into = records.get(input.intoId)!;
    const contactFrom = await contactToMove(tx.db, workspaceId, into, ids.map((id) => records.get(id)!));
    const moved = await moveEverything(tx.db, workspaceId, ids, into.id);
    if (contactFrom) {
      await moveContact(tx.db, workspaceId, contactFrom, into.id);
      moved[contactFrom]!.contact = true;
    }
    await tx.db
      .update(songwriters)
      .set({ mergedIntoId: into.id, updatedAt: sql`now()` })
      .where(and(eq(songwriters.workspaceId, workspaceId), inArray(songwriters.id, ids)));
    const op = await recordOperation(tx.db, workspaceId, { kind: 'merge', songwriterId: into.id, otherIds: ids, moved, by: input.by });
    await announce(tx, op, 'done', operationSummary(op, records), input.by);
    await rescoreSongwriters(tx, workspaceId, [into.id, ...ids]);
    return { operationId: op.id };
  });
}

export interface SplitInput {
  id: string;
  aliases: ReadonlyArray<{ kind: SongwriterAliasKind; key: string }>;
  by: string | null;
}

export function splitSongwriter(runtime: Runtime, workspaceId: string, input: SplitInput): Promise<{ operationId: string; songwriterId: string }> {
  return runtime.log.transaction(async (tx) => {
    await lockIdentitiesExclusive(tx.db, workspaceId);
    const origin = (await lockLiveRecords(tx.db, workspaceId, [input.id])).get(input.id)!;
    const leaving = await aliasesToSplit(tx.db, workspaceId, origin, input.aliases);
    const leavingName = leaving.find((alias) => alias.kind === 'name') ?? leaving[0]!;
    const [created] = await tx.db.insert(songwriters).values({ workspaceId, name: leavingName.display }).returning({ id: songwriters.id, name: songwriters.name });
    const listed: Moved = { aliases: leaving.map(({ kind, key }) => ({ kind, key })), credits: await creditsUnder(tx.db, workspaceId, origin.id, leaving) };
    await moveListed(tx.db, workspaceId, origin.id, created!.id, listed);
    const op = await recordOperation(tx.db, workspaceId, { kind: 'split', songwriterId: origin.id, otherIds: [created!.id], moved: { [origin.id]: listed }, by: input.by });
    const names = new Map([origin, { ...created!, mergedIntoId: null }].map((record) => [record.id, record]));
    await announce(tx, op, 'done', operationSummary(op, names), input.by);
    await rescoreSongwriters(tx, workspaceId, [origin.id, created!.id]);
    return { operationId: op.id, songwriterId: created!.id };
  });
}

export function undoIdentityOperation(runtime: Runtime, workspaceId: string, input: { operationId: string; by: string | null }): Promise<{ operationId: string }> {
  return runtime.log.transaction(async (tx) => {
    await lockIdentitiesExclusive(tx.db, workspaceId);
    await lockBoard(tx.db, workspaceId); // a contact may move back (see mergeSongwriters)
    const op = await lockOperation(tx.db, workspaceId, input.operationId);
    const involved = [op.songwriterId, ...op.otherIds];
    const records = await lockRecords(tx.db, workspaceId, involved);
    await refuseIfLaterOperation(tx.db, op);
    if (op.kind === 'merge') await undoMerge(tx.db, op);
    else await undoSplit(tx.db, op, records);
    await tx.db
      .update(songwriterIdentityOps)
      .set({ undoneAt: sql`clock_timestamp()`, undoneBy: input.by })
      .where(eq(songwriterIdentityOps.id, op.id));
    await announce(tx, op, 'undone', `Undid: ${operationSummary(op, records)}`, input.by);
    await rescoreSongwriters(tx, workspaceId, involved);
    return { operationId: op.id };
  });
}

/** "Merged "J. Smith" and "Smith John" into "John Smith"." / "Split "Jon Smith" off "John Smith"." */
export function operationSummary(op: Pick<OperationRow, 'kind' | 'songwriterId' | 'otherIds'>, names: ReadonlyMap<string, { name: string }>): string {
  const quoted = (id: string) => `"${names.get(id)?.name ?? id}"`;
  const others = op.otherIds.map(quoted);
  const list = others.length <= 1 ? (others[0] ?? '') : `${others.slice(0, -1).join(', ')} and ${others.at(-1)}`;
  return op.kind === 'merge' ? `Merged ${list} into ${quoted(op.songwriterId)}.` : `Split ${list} off ${quoted(op.songwriterId)}.`;
}

/**
 * SQL: whether `later` is a not-undone operation recorded after `op` that involves one of `op`'s
 * records (the survivor or origin, or one merged or split off). `op` and `later` name rows of
 * songwriter_identity_ops in the surrounding query.
 */
export function involvesLater(op: string, later: string) {
  const [o, l] = [sql.raw(op), sql.raw(later)];
  return sql`${l}.workspace_id = ${o}.workspace_id AND ${l}.undone_at IS NULL AND ${l}.created_at > ${o}.created_at
    AND (jsonb_build_array(${l}.songwriter_id) || ${l}.other_ids) ?| ARRAY(SELECT jsonb_array_elements_text(jsonb_build_array(${o}.songwriter_id) || ${o}.other_ids))`;
}

async function undoMerge(db: Executor, op: OperationRow): Promise<void> {
  for (const [fromId, listed] of Object.entries(op.moved)) await moveListed(db, op.workspaceId, op.songwriterId, fromId, listed);
  await db
    .update(songwriters)
    .set({ mergedIntoId: null, updatedAt: sql`now()` })
    .where(and(eq(songwriters.workspaceId, op.workspaceId), inArray(songwriters.id, op.otherIds)));
}

async function undoSplit(db: Executor, op: OperationRow, records: ReadonlyMap<string, SongwriterRecord>): Promise<void> {
  const origin = records.get(op.songwriterId)!;
  const splitOff = op.otherIds.map((id) => records.get(id)!);
  const contactFrom = await contactToMove(db, op.workspaceId, origin, splitOff);
  await moveEverything(db, op.workspaceId, op.otherIds, origin.id);
  if (contactFrom) await moveContact(db, op.workspaceId, contactFrom, origin.id);
  await db
    .update(songwriters)
    .set({ mergedIntoId: origin.id, updatedAt: sql`now()` })
    .where(and(eq(songwriters.workspaceId, op.workspaceId), inArray(songwriters.id, op.otherIds)));
}

/**
 * The songwriters, locked in id order (as rescoring locks them) FOR NO KEY UPDATE: a contact
 * request (FOR SHARE) waits for the move, and a credit's foreign-key check (KEY SHARE) does not.
 * Refused when any is not a songwriter of this workspace.
 */
async function lockRecords(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Map<string, SongwriterRecord>> {
  const found = await db
    .select({ id: songwriters.id, name: songwriters.name, mergedIntoId: songwriters.mergedIntoId })
    .from(songwriters)
    .where(and(eq(songwriters.workspaceId, workspaceId), inArray(songwriters.id, [...ids])))
    .orderBy(songwriters.id)
    .for('no key update');
  const records = new Map(found.map((row) => [row.id, row]));
  const missing = [...new Set(ids)].filter((id) => !records.has(id));
  if (missing.length === 1) throw new SongwriterError('SONGWRITER_NOT_FOUND', `Songwriter ${missing[0]} was not found in this workspace.`);
  if (missing.length > 1) throw new SongwriterError('SONGWRITER_NOT_FOUND', `Songwriters ${missing.join(', ')} were not found in this workspace; nothing was changed.`);
  return records;
}

/** lockRecords, refusing records that are merged into another (the person's page is out of date). */
async function lockLiveRecords(db: Executor, workspaceId: string, ids: readonly string[]): Promise<Map<string, SongwriterRecord>> {
  const records = await lockRecords(db, workspaceId, ids);
  const merged = [...records.values()].find((record) => record.mergedIntoId);
  if (merged) {
    throw new SongwriterError(
      'SONGWRITER_MERGED',
      `"${merged.name}" (${merged.id}) has been merged into songwriter ${merged.mergedIntoId}: reload the page and act on that record instead.`,
    );
  }
  return records;
}

/** Which of `others` gives `keeper` its contact: none when no one has one; refused when two would end up with one. */
async function contactToMove(db: Executor, workspaceId: string, keeper: SongwriterRecord, others: readonly SongwriterRecord[]): Promise<string | null> {
  const holders = await contactHolders(db, workspaceId, [keeper.id, ...others.map((record) => record.id)]);
  const withContact = others.filter((record) => holders.has(record.id));
  if (withContact.length === 0) return null;
  if (holders.has(keeper.id) || withContact.length > 1) {
    const names = [...(holders.has(keeper.id) ? [keeper] : []), ...withContact].map((record) => `"${record.name}"`).join(' and ');
    throw new SongwriterError('CONTACTS_CLASH', `${names} are each a contact, and one record keeps one contact: remove all but one of those contacts first, then try again.`);
  }
  return withContact[0]!.id;
}

/** The origin's aliases that leave it, refused unless each is one of its aliases and at least one stays. */
async function aliasesToSplit(db: Executor, workspaceId: string, origin: SongwriterRecord, asked: SplitInput['aliases']) {
  const own = await db
    .select({ kind: songwriterAliases.kind, key: songwriterAliases.key, display: songwriterAliases.display })
    .from(songwriterAliases)
    .where(and(eq(songwriterAliases.workspaceId, workspaceId), eq(songwriterAliases.songwriterId, origin.id)))
    .orderBy(songwriterAliases.kind, songwriterAliases.key);
  const find = (kind: string, key: string) => own.find((alias) => alias.kind === kind && alias.key === key);
  const unknown = asked.filter((alias) => !find(alias.kind, alias.key));
  if (unknown.length > 0) {
    const listed = own.map((alias) => `${alias.kind} "${alias.key}"`).join(', ');
    throw new SongwriterError(
      'ALIAS_NOT_FOUND',
      `"${origin.name}" has no ${unknown.map((alias) => `${alias.kind} alias "${alias.key}"`).join(' or ')}; choose among its aliases: ${listed}.`,
    );
  }
  const leaving = own.filter((alias) => asked.some((a) => a.kind === alias.kind && a.key === alias.key));
  if (leaving.length === own.length) {
    throw new SongwriterError('SPLIT_EVERYTHING', `Splitting off every alias of "${origin.name}" would leave it empty: keep at least one alias on it.`);
  }
  return leaving;
}

/** The origin's credits made under the leaving aliases: by a leaving name key, or with a leaving IPI. */
async function creditsUnder(db: Executor, workspaceId: string, originId: string, leaving: ReadonlyArray<{ kind: SongwriterAliasKind; key: string }>) {
  const keysOf = (kind: SongwriterAliasKind) => sql`${sql.param(leaving.filter((alias) => alias.kind === kind).map((alias) => alias.key))}::text[]`;
  const found = await rows<{ track_id: string; name_key: string }>(
    db,
    sql`SELECT track_id, name_key FROM ${songwriterCredits} WHERE workspace_id = ${workspaceId} AND songwriter_id = ${originId}
        AND (name_key = ANY(${keysOf('name')}) OR ipi = ANY(${keysOf('ipi')})) ORDER BY track_id, name_key`,
  );
  return found.map((row) => ({ trackId: row.track_id, nameKey: row.name_key }));
}

async function lockOperation(db: Executor, workspaceId: string, operationId: string): Promise<OperationRow> {
  const [op] = await db
    .select()
    .from(songwriterIdentityOps)
    .where(and(eq(songwriterIdentityOps.workspaceId, workspaceId), eq(songwriterIdentityOps.id, operationId)))
    .for('update');
  if (!op) throw new SongwriterError('OPERATION_NOT_FOUND', `Operation ${operationId} was not found in this workspace.`);
  if (op.undoneAt) throw new SongwriterError('OPERATION_UNDONE', `That ${op.kind} was already undone (${op.undoneAt.toISOString()}); there is nothing left to undo.`);
  return op;
}

async function refuseIfLaterOperation(db: Executor, op: OperationRow): Promise<void> {
  const [later] = await rows<{ id: string; kind: OperationRow['kind']; songwriter_id: string; other_ids: string[] }>(
    db,
    sql`SELECT later.id, later.kind, later.songwriter_id, later.other_ids FROM ${songwriterIdentityOps} op JOIN ${songwriterIdentityOps} later ON ${involvesLater('op', 'later')}
        WHERE op.id = ${op.id} ORDER BY later.created_at DESC LIMIT 1`,
  );
  if (!later) return;
  const ids = [later.songwriter_id, ...later.other_ids];
  const names = new Map((await db.select({ id: songwriters.id, name: songwriters.name }).from(songwriters).where(inArray(songwriters.id, ids))).map((row) => [row.id, row]));
  const summary = operationSummary({ kind: later.kind, songwriterId: later.songwriter_id, otherIds: later.other_ids }, names);
  throw new SongwriterError('UNDO_LATER_FIRST', `A later change involves these records: undo it first (operation ${later.id}: ${summary})`);
}

async function recordOperation(db: Executor, workspaceId: string, op: Pick<OperationRow, 'kind' | 'songwriterId' | 'otherIds' | 'moved' | 'by'>): Promise<OperationRow> {
  // clock_timestamp, not the transaction's start: operations are ordered as they took the identity lock.
  const [row] = await db
    .insert(songwriterIdentityOps)
    .values({ workspaceId, ...op, createdAt: sql`clock_timestamp()` })
    .returning();
  return row!;
}

/** songwriter_merged and the activity row, in the operation's transaction. */
async function announce(tx: Tx, op: OperationRow, action: 'done' | 'undone', summary: string, by: string | null): Promise<void> {
  const { workspaceId, songwriterId } = op;
  tx.emit({
    type: 'songwriter_merged',
    workspaceId,
    keys: { songwriterId },
    data: { operationId: op.id, kind: op.kind, action, songwriterId, otherIds: op.otherIds, summary, by },
  });
  const kind = action === 'undone' ? 'songwriter_identity_undone' : op.kind === 'merge' ? 'songwriters_merged' : 'songwriter_split';
  await logActivity(tx, { workspaceId, kind, message: summary, keys: { songwriterId } });
}

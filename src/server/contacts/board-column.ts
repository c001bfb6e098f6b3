/**
 * Where a card sits in its stage's column. Cards are ordered by `position` (then songwriter id,
 * so equal positions still have one order). A card placed before another gets the midpoint
 * between that card and the one above it (above the first card: its position - 1); at the end,
 * the next whole number above the column's highest position. When the neighbours are closer than
 * MIN_POSITION_GAP (some 30 cards placed at the same spot), the column is renumbered 1, 2, 3, ...
 * in its current order first, and each card whose position changed is told of with a
 * contact_changed of its own (a board that applies positions as they arrive stays in order).
 *
 * Whatever places a card (create, move) first takes a transaction-scoped lock of the workspace's
 * board, before anything of it is read. Locking the column's rows would not do: a card moving INTO
 * the column is not among them, and two people placing cards at once would both read the same
 * neighbours and write the same place. A lock per column would not either: a move leaves one
 * column for another, and two moves crossing between the same two columns, each renumbering,
 * would wait for each other's rows. Placing cards is done by people, a few a second at most, so
 * one workspace's placements in a row cost nothing anyone notices.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { contacts, type ContactStage } from '~/server/db/schema';
import { ContactError } from './contact-error';

/** Below this gap between two neighbours a midpoint is not taken: the column is renumbered instead. */
export const MIN_POSITION_GAP = 1e-9;

/** Taken before anything of the board is read; held until the transaction ends. */
export async function lockBoard(db: Executor, workspaceId: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`contacts-board:${workspaceId}`}))`);
}

interface Card {
  songwriter_id: string;
  position: number;
  stage: ContactStage;
}

export interface Placement {
  position: number;
  /** Other cards of the column that renumbering moved, with their new positions. */
  renumbered: Array<{ songwriterId: string; position: number }>;
}

/**
 * The position for `songwriterId`'s card in `stage`, before `beforeId` (a card of that column) or
 * at the end. The caller holds the board's lock (lockBoard) and writes the card's own row.
 */
export async function placeCard(db: Executor, workspaceId: string, stage: ContactStage, songwriterId: string, beforeId: string | null): Promise<Placement> {
  const others = sql`${contacts.workspaceId} = ${workspaceId} AND ${contacts.stage} = ${stage} AND ${contacts.songwriterId} <> ${songwriterId}`;
  if (beforeId === null) {
    const [last] = await rows<{ position: number | null }>(db, sql`SELECT max(${contacts.position}) AS position FROM ${contacts} WHERE ${others}`);
    return { position: last?.position == null ? 1 : Math.floor(Number(last.position)) + 1, renumbered: [] };
  }
  const before = await cardIn(db, workspaceId, stage, beforeId);
  const [above] = await rows<Card>(
    db,
    sql`SELECT ${contacts.songwriterId} AS songwriter_id, ${contacts.position} AS position, ${contacts.stage} AS stage FROM ${contacts}
        WHERE ${others} AND (${contacts.position}, ${contacts.songwriterId}) < (${before.position}::float8, ${before.songwriter_id})
        ORDER BY ${contacts.position} DESC, ${contacts.songwriterId} DESC LIMIT 1`,
  );
  if (!above) return { position: Number(before.position) - 1, renumbered: [] };
  const low = Number(above.position);
  const high = Number(before.position);
  const middle = (low + high) / 2;
  if (high - low >= MIN_POSITION_GAP && middle > low && middle < high) return { position: middle, renumbered: [] };
  return renumber(db, others, before.songwriter_id);
}

/** The card `beforeId`, which must be in `stage` (the board the person saw may be out of date). */
async function cardIn(db: Executor, workspaceId: string, stage: ContactStage, beforeId: string): Promise<Card> {
  const [card] = await rows<Card>(
    db,
    sql`SELECT ${contacts.songwriterId} AS songwriter_id, ${contacts.position} AS position, ${contacts.stage} AS stage FROM ${contacts}
        WHERE ${contacts.workspaceId} = ${workspaceId} AND ${contacts.songwriterId} = ${beforeId}`,
  );
  if (!card) throw new ContactError('CARD_NOT_FOUND', `Card ${beforeId} is not on this workspace's board: place the card at the end, or before a card that is.`);
  if (card.stage !== stage) {
    throw new ContactError('CARD_IN_OTHER_STAGE', `Card ${beforeId} is in the ${card.stage} column now, not ${stage}: someone moved it meanwhile. Reload the board and place the card again.`);
  }
  return card;
}

/**
 * Renumbers the column 1..n in its order, leaving position n for the card being placed just
 * before `beforeId`; returns that position and the cards whose position changed.
 */
async function renumber(db: Executor, others: SQL, beforeId: string): Promise<Placement> {
  const column = await rows<Card>(
    db,
    sql`SELECT ${contacts.songwriterId} AS songwriter_id, ${contacts.position} AS position, ${contacts.stage} AS stage FROM ${contacts}
        WHERE ${others} ORDER BY ${contacts.position}, ${contacts.songwriterId}`,
  );
  const renumbered: Placement['renumbered'] = [];
  let position = 0;
  let placed = 0;
  for (const card of column) {
    if (card.songwriter_id === beforeId) placed = ++position;
    position++;
    if (Number(card.position) !== position) renumbered.push({ songwriterId: card.songwriter_id, position });
  }
  if (renumbered.length > 0) {
    await db.execute(
      sql`UPDATE ${contacts} SET position = moved.position
          FROM unnest(${sql.param(renumbered.map((card) => card.songwriterId))}::text[], ${sql.param(renumbered.map((card) => card.position))}::float8[]) AS moved(songwriter_id, position)
          WHERE ${contacts.songwriterId} = moved.songwriter_id`,
    );
  }
  return { position: placed, renumbered };
}

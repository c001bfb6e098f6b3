/**
 * The contacts board: one column per stage, in stage order, each card a songwriter summary in
 * its column's order (board-column.ts). Filtered by owner (a user id, or "none" for cards nobody
 * owns) and by text in the songwriter's name or any name they are credited as.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '~/server/db/database';
import { contacts, contactStages, songwriterAliases, songwriters, type ContactStage } from '~/server/db/schema';
import { normalizeName } from '~/server/songwriters/normalize-name';
import type { SongwriterSummary } from '~/server/songwriters/types';
import { likePattern } from '~/server/tracks/explorer-conditions';
import { songwriterCards } from './songwriter-cards';

/** Cards a column returns at most (its `total` counts them all). */
export const COLUMN_LIMIT = 500;

export interface BoardFilter {
  ownerId?: string;
  q?: string;
}

export interface Board {
  columns: Array<{ stage: ContactStage; cards: SongwriterSummary[]; total: number }>;
}

export async function contactBoard(db: Executor, workspaceId: string, filter: BoardFilter = {}): Promise<Board> {
  const conditions: SQL[] = [sql`c.workspace_id = ${workspaceId}`, sql`s.merged_into_id IS NULL`];
  if (filter.ownerId === 'none') conditions.push(sql`c.owner_id IS NULL`);
  else if (filter.ownerId) conditions.push(sql`c.owner_id = ${filter.ownerId}`);
  const q = filter.q?.trim();
  if (q) {
    // As songwriters.list searches: the name, any credited name or IPI, and the normalised form of what was typed.
    const pattern = likePattern(q);
    const key = normalizeName(q)?.key;
    const byKey = key ? sql` OR a.key LIKE ${likePattern(key)}` : sql``;
    conditions.push(
      sql`(s.name ILIKE ${pattern} OR EXISTS (SELECT 1 FROM ${songwriterAliases} a WHERE a.songwriter_id = s.id AND a.workspace_id = ${workspaceId} AND (a.display ILIKE ${pattern} OR a.key ILIKE ${pattern}${byKey})))`,
    );
  }
  const placed = await rows<{ songwriter_id: string; stage: ContactStage; total: number }>(
    db,
    sql`SELECT songwriter_id, stage, total FROM (
          SELECT c.songwriter_id, c.stage,
                 row_number() OVER (PARTITION BY c.stage ORDER BY c.position, c.songwriter_id) AS place,
                 count(*) OVER (PARTITION BY c.stage)::int AS total
          FROM ${contacts} c JOIN ${songwriters} s ON s.id = c.songwriter_id
          WHERE ${sql.join(conditions, sql` AND `)}
        ) ranked WHERE place <= ${COLUMN_LIMIT} ORDER BY stage, place`,
  );
  const cards = new Map((await songwriterCards(db, workspaceId, placed.map((row) => row.songwriter_id))).map((card) => [card.id, card]));
  return {
    columns: contactStages.map((stage) => {
      const inColumn = placed.filter((row) => row.stage === stage);
      return { stage, cards: inColumn.flatMap((row) => cards.get(row.songwriter_id) ?? []), total: Number(inColumn[0]?.total ?? 0) };
    }),
  };
}

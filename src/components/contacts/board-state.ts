/**
 * The contacts board as the browser holds it (contacts.board's answer), and the changes made to
 * it without asking the server: a card moved by this person (optimistic, placed the way the
 * server places it: the midpoint before the card it was dropped on, or after the last), and the
 * cards other people moved (`contact_changed` carries the card's stage and position after the
 * change, so applying it is the same whatever arrived before). A card the board does not hold
 * (just created, or now matching the owner filter) cannot be drawn from an event: the caller
 * re-reads the board then.
 *
 * Cards are ordered by position, then id, as the server orders a column.
 */
import type { EventData } from '~/server/events/catalog';
import type { RouterOutputs } from '~/trpc/types';
import type { ContactStage, PublisherStatus } from '../songwriters/leads-query';

export type BoardData = RouterOutputs['contacts']['board'];
export type BoardColumn = BoardData['columns'][number];
export type BoardCard = BoardColumn['cards'][number];
type Contact = NonNullable<BoardCard['contact']>;

const positionOf = (card: BoardCard) => card.contact?.position ?? 0;
const byPlace = (a: BoardCard, b: BoardCard) => positionOf(a) - positionOf(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function findCard(board: BoardData, songwriterId: string): { card: BoardCard; stage: ContactStage; index: number } | null {
  for (const column of board.columns) {
    const index = column.cards.findIndex((card) => card.id === songwriterId);
    if (index >= 0) return { card: column.cards[index]!, stage: column.stage, index };
  }
  return null;
}

/** The position the server gives a card placed in `cards` (the column without it) before `beforeId`, or at the end. */
export function placementIn(cards: readonly BoardCard[], beforeId: string | null): number {
  const before = beforeId === null ? -1 : cards.findIndex((card) => card.id === beforeId);
  if (before < 0) {
    const last = cards.reduce<number | null>((high, card) => (high === null || positionOf(card) > high ? positionOf(card) : high), null);
    return last === null ? 1 : Math.floor(last) + 1;
  }
  const high = positionOf(cards[before]!);
  return before === 0 ? high - 1 : (positionOf(cards[before - 1]!) + high) / 2;
}

/** The board with one card taken out and put in `stage` with `contact` changes applied (its column re-sorted). */
function placeCard(board: BoardData, songwriterId: string, stage: ContactStage, change: (card: BoardCard, others: readonly BoardCard[]) => BoardCard): BoardData {
  const found = findCard(board, songwriterId);
  if (!found) return board;
  return {
    ...board,
    columns: board.columns.map((column) => {
      const others = column.stage === found.stage ? column.cards.filter((card) => card.id !== songwriterId) : column.cards;
      if (column.stage !== stage) {
        return column.stage === found.stage ? { ...column, cards: others, total: Math.max(0, column.total - 1) } : column;
      }
      const cards = [...others, change(found.card, others)].sort(byPlace);
      return { ...column, cards, total: column.stage === found.stage ? column.total : column.total + 1 };
    }),
  };
}

/** This person's move, shown before the server answers. */
export function moveCard(board: BoardData, songwriterId: string, stage: ContactStage, beforeId: string | null): BoardData {
  return placeCard(board, songwriterId, stage, (card, others) => ({
    ...card,
    contact: { ...(card.contact as Contact), stage, position: placementIn(others, beforeId === songwriterId ? null : beforeId) },
  }));
}

/** Whether moving the card to `stage` before `beforeId` would leave it where it is. */
export function isSamePlace(board: BoardData, songwriterId: string, stage: ContactStage, beforeId: string | null): boolean {
  const found = findCard(board, songwriterId);
  if (!found || found.stage !== stage) return false;
  if (beforeId === songwriterId) return true;
  const column = board.columns.find((one) => one.stage === stage)!;
  return (column.cards[found.index + 1]?.id ?? null) === beforeId;
}

/** The card to place a dragged card before, when dropped at `index` among the column's other cards (as shown); null: the end. */
export function beforeIdAt(shownIds: readonly string[], draggedId: string, index: number): string | null {
  const others = shownIds.filter((id) => id !== draggedId);
  return others[index] ?? null;
}

/** The move that takes a card one place up or down its column; null at the top (bottom). */
export function stepMove(board: BoardData, songwriterId: string, direction: 'up' | 'down'): { stage: ContactStage; beforeId: string | null } | null {
  const found = findCard(board, songwriterId);
  if (!found) return null;
  const cards = board.columns.find((column) => column.stage === found.stage)!.cards;
  if (direction === 'up') return found.index === 0 ? null : { stage: found.stage, beforeId: cards[found.index - 1]!.id };
  if (found.index === cards.length - 1) return null;
  return { stage: found.stage, beforeId: cards[found.index + 2]?.id ?? null };
}

export type ContactChange = EventData<'contact_changed'>;

/**
 * A `contact_changed` applied: the card's stage, place, owner and handles as the event says.
 * `reread` when the board cannot show it from the event alone (a card it does not hold). With an
 * owner filter, a card given to someone else leaves the board.
 */
export function applyContactChange(board: BoardData, change: ContactChange, ownerFilter?: string): { board: BoardData; reread: boolean } {
  const found = findCard(board, change.songwriterId);
  const ownerMatches = !ownerFilter || (ownerFilter === 'none' ? change.ownerId === null : change.ownerId === ownerFilter);
  if (change.change === 'removed' || !ownerMatches) return { board: found ? removeCard(board, change.songwriterId) : board, reread: false };
  if (!found) return { board, reread: true };
  const next = placeCard(board, change.songwriterId, change.stage, (card) => ({
    ...card,
    name: change.name,
    contact: {
      ...(card.contact as Contact),
      stage: change.stage,
      position: change.position,
      ownerId: change.ownerId,
      ownerName: change.ownerName,
      handles: change.handles,
    },
  }));
  return { board: next, reread: false };
}

export function removeCard(board: BoardData, songwriterId: string): BoardData {
  return {
    ...board,
    columns: board.columns.map((column) =>
      column.cards.some((card) => card.id === songwriterId)
        ? { ...column, cards: column.cards.filter((card) => card.id !== songwriterId), total: Math.max(0, column.total - 1) }
        : column,
    ),
  };
}

/** A new score (songwriter_score_changed carries the totals after it) on the card, if the board holds it. */
export function applyScoreChange(board: BoardData, change: EventData<'songwriter_score_changed'>): BoardData {
  if (!findCard(board, change.songwriterId)) return board;
  return {
    ...board,
    columns: board.columns.map((column) => ({
      ...column,
      cards: column.cards.map((card) =>
        card.id === change.songwriterId
          ? { ...card, name: change.name, score: change.score, publisherStatus: change.publisherStatus, trackCount: change.trackCount, totalStreams: change.totalStreams }
          : card,
      ),
    })),
  };
}

export interface BoardShownFilter {
  scoreMin?: number;
  scoreMax?: number;
  publisherStatuses?: readonly PublisherStatus[];
  stages?: readonly string[];
}

/**
 * The columns and cards shown for the filters the board query does not take (score band,
 * publisher status, stages): stages pick columns, the rest pick cards.
 */
export function shownColumns(board: BoardData, filter: BoardShownFilter): BoardColumn[] {
  const stages = filter.stages?.filter((stage) => stage !== 'none');
  return board.columns
    .filter((column) => !stages || stages.length === 0 || stages.includes(column.stage))
    .map((column) => ({
      ...column,
      cards: column.cards.filter(
        (card) =>
          (filter.scoreMin === undefined || card.score >= filter.scoreMin) &&
          (filter.scoreMax === undefined || card.score <= filter.scoreMax) &&
          (!filter.publisherStatuses || filter.publisherStatuses.length === 0 || filter.publisherStatuses.includes(card.publisherStatus)),
      ),
    }));
}

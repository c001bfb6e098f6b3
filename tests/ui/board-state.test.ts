/**
 * The board in the browser: a move shows where the server will put it, a refused move can be put
 * back, another member's move (contact_changed) lands in the same place whatever arrived before,
 * and a card the board cannot draw from an event asks for a re-read.
 */
import { expect, test } from 'vitest';
import {
  applyContactChange,
  applyScoreChange,
  beforeIdAt,
  findCard,
  isSamePlace,
  moveCard,
  placementIn,
  shownColumns,
  stepMove,
  type BoardCard,
  type BoardData,
  type ContactChange,
} from '~/components/contacts/board-state';
import { contactStages, type ContactStage } from '~/components/songwriters/leads-query';

function card(id: string, stage: ContactStage, position: number, extra: Partial<BoardCard> = {}): BoardCard {
  return {
    id,
    name: `Writer ${id}`,
    ipis: [],
    aliases: [],
    score: 5,
    publisherStatus: 'unknown',
    trackCount: 1,
    totalStreams: 100,
    labels: [],
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    contact: { stage, ownerId: null, ownerName: null, handles: {}, position, notes: 0, updatedAt: '2026-01-01T00:00:00.000Z' },
    ...extra,
  };
}

function boardOf(cards: Partial<Record<ContactStage, Array<[string, number]>>>): BoardData {
  return {
    columns: contactStages.map((stage) => {
      const list = (cards[stage] ?? []).map(([id, position]) => card(id, stage, position));
      return { stage, cards: list, total: list.length };
    }),
  };
}

const ids = (board: BoardData, stage: ContactStage) => board.columns.find((column) => column.stage === stage)!.cards.map((one) => one.id);
const total = (board: BoardData, stage: ContactStage) => board.columns.find((column) => column.stage === stage)!.total;

function change(songwriterId: string, stage: ContactStage, position: number, extra: Partial<ContactChange> = {}): ContactChange {
  return { songwriterId, name: `Writer ${songwriterId}`, change: 'moved', stage, previousStage: null, ownerId: null, ownerName: null, handles: {}, position, by: null, ...extra };
}

test('a move places the card as the server does: before the card dropped on, or after the last', () => {
  const board = boardOf({ new: [['a', 1], ['b', 2], ['c', 3]], contacted: [['x', 1], ['y', 2]] });
  const before = moveCard(board, 'c', 'contacted', 'y');
  expect(ids(before, 'new')).toEqual(['a', 'b']);
  expect(ids(before, 'contacted')).toEqual(['x', 'c', 'y']);
  expect(findCard(before, 'c')!.card.contact!.position).toBe(1.5);
  expect([total(before, 'new'), total(before, 'contacted')]).toEqual([2, 3]);

  const atEnd = moveCard(board, 'a', 'contacted', null);
  expect(ids(atEnd, 'contacted')).toEqual(['x', 'y', 'a']);
  expect(findCard(atEnd, 'a')!.card.contact).toMatchObject({ stage: 'contacted', position: 3 });
  // Before the first card: one below it. Into an empty column: 1.
  expect(findCard(moveCard(board, 'a', 'contacted', 'x'), 'a')!.card.contact!.position).toBe(0);
  expect(findCard(moveCard(board, 'a', 'signed', null), 'a')!.card.contact!.position).toBe(1);
  // Within a column: up to the top.
  expect(ids(moveCard(board, 'c', 'new', 'a'), 'new')).toEqual(['c', 'a', 'b']);
  // The board it came from is untouched (the rollback keeps it).
  expect(ids(board, 'new')).toEqual(['a', 'b', 'c']);
});

test('placementIn mirrors the server for fractional positions', () => {
  const cards = [card('a', 'new', 1), card('b', 'new', 1.5), card('c', 'new', 4.25)];
  expect(placementIn(cards, 'c')).toBe(2.875);
  expect(placementIn(cards, null)).toBe(5);
  expect(placementIn([], null)).toBe(1);
});

test('a drop index among the other cards names the card to place before; the same place is no move', () => {
  expect(beforeIdAt(['a', 'b', 'c'], 'a', 0)).toBe('b');
  expect(beforeIdAt(['a', 'b', 'c'], 'a', 2)).toBeNull();
  expect(beforeIdAt(['a', 'b', 'c'], 'z', 1)).toBe('b');
  const board = boardOf({ new: [['a', 1], ['b', 2], ['c', 3]] });
  expect(isSamePlace(board, 'a', 'new', 'b')).toBe(true);
  expect(isSamePlace(board, 'c', 'new', null)).toBe(true);
  expect(isSamePlace(board, 'a', 'new', 'c')).toBe(false);
  expect(isSamePlace(board, 'a', 'contacted', null)).toBe(false);
});

test('up and down move one place; none past either end', () => {
  const board = boardOf({ new: [['a', 1], ['b', 2], ['c', 3]] });
  expect(stepMove(board, 'b', 'up')).toEqual({ stage: 'new', beforeId: 'a' });
  expect(stepMove(board, 'a', 'down')).toEqual({ stage: 'new', beforeId: 'c' });
  expect(stepMove(board, 'b', 'down')).toEqual({ stage: 'new', beforeId: null });
  expect(stepMove(board, 'a', 'up')).toBeNull();
  expect(stepMove(board, 'c', 'down')).toBeNull();
  expect(ids(moveCard(board, 'a', 'new', stepMove(board, 'a', 'down')!.beforeId), 'new')).toEqual(['b', 'a', 'c']);
});

test('another member’s move lands where the event says, applied twice or after an optimistic guess alike', () => {
  const board = boardOf({ new: [['a', 1], ['b', 2]], contacted: [['x', 1]] });
  const moved = change('a', 'contacted', 0.5, { ownerId: 'u1', ownerName: 'Bob' });
  const once = applyContactChange(board, moved);
  expect(once.reread).toBe(false);
  expect(ids(once.board, 'contacted')).toEqual(['a', 'x']);
  expect(findCard(once.board, 'a')!.card.contact).toMatchObject({ ownerName: 'Bob', position: 0.5 });
  expect(applyContactChange(once.board, moved).board).toEqual(once.board);
  // My own guess first (at the end), then the server's word: the server wins.
  expect(ids(applyContactChange(moveCard(board, 'a', 'contacted', null), moved).board, 'contacted')).toEqual(['a', 'x']);
});

test('a card the board does not hold asks for a re-read; a removed card goes; the owner filter holds', () => {
  const board = boardOf({ new: [['a', 1]] });
  expect(applyContactChange(board, change('z', 'new', 2, { change: 'created' }))).toEqual({ board, reread: true });
  const removed = applyContactChange(board, change('a', 'new', 1, { change: 'removed' }));
  expect(removed.reread).toBe(false);
  expect(ids(removed.board, 'new')).toEqual([]);
  expect(total(removed.board, 'new')).toBe(0);
  // Filtered to Ada's cards: a card given to Bob leaves.
  const givenAway = applyContactChange(board, change('a', 'new', 1, { change: 'updated', ownerId: 'bob' }), 'ada');
  expect(ids(givenAway.board, 'new')).toEqual([]);
  expect(applyContactChange(board, change('a', 'new', 1, { change: 'updated', ownerId: null }), 'none').board).toEqual(
    applyContactChange(board, change('a', 'new', 1, { change: 'updated', ownerId: null })).board,
  );
});

test('a new score reaches the card; filters the board query does not take pick columns and cards', () => {
  const board = boardOf({ new: [['a', 1], ['b', 2]], signed: [['s', 1]] });
  const scored = applyScoreChange(board, {
    songwriterId: 'a',
    name: 'Writer a',
    score: 9.5,
    previous: 5,
    publisherStatus: 'unpublished',
    trackCount: 3,
    totalStreams: 900,
    categories: [],
  });
  expect(findCard(scored, 'a')!.card).toMatchObject({ score: 9.5, publisherStatus: 'unpublished', trackCount: 3 });
  const shown = shownColumns(scored, { scoreMin: 8, stages: ['new', 'none'] });
  expect(shown.map((column) => column.stage)).toEqual(['new']);
  expect(shown[0]!.cards.map((one) => one.id)).toEqual(['a']);
  expect(shownColumns(scored, { publisherStatuses: ['unknown'] }).flatMap((column) => column.cards.map((one) => one.id))).toEqual(['b', 's']);
});

/** How the explorer's loaded rows take a live re-read: in place, marked, or inserted; never a jump. */
import { expect, test } from 'vitest';
import { appendPage, applyReread, compareRows, expireHighlights, loadedFromPage, type ExplorerRow } from '~/components/explorer/explorer-rows';

const row = (id: string, streams: number | null, name = id): ExplorerRow =>
  ({
    id,
    spotifyId: `sp-${id}`,
    name,
    artist: 'Artist',
    album: null,
    isrc: null,
    label: null,
    releaseDate: null,
    popularity: null,
    streams,
    playlistReach: null,
    songwriters: null,
    producers: null,
    enrichmentStatus: 'completed',
    enrichmentError: null,
    enrichedAt: null,
    firstSeenAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    artworkUrl: null,
    publisherStatus: 'unknown',
    playlists: [],
    tags: [],
  }) as ExplorerRow;

const byStreams = { field: 'streams', dir: 'desc' } as const;
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

test('sorting follows the server: the key in its direction, nulls last either way, ties by id in the same direction', () => {
  const rows = [row('a', 5), row('b', null), row('c', 9), row('d', 5), row('e', null)];
  expect(ids([...rows].sort((x, y) => compareRows(x, y, byStreams)))).toEqual(['c', 'd', 'a', 'e', 'b']);
  expect(ids([...rows].sort((x, y) => compareRows(x, y, { field: 'streams', dir: 'asc' })))).toEqual(['a', 'd', 'c', 'b', 'e']);
  expect(ids([row('x', 1, 'beta'), row('y', 1, 'Alpha')].sort((x, y) => compareRows(x, y, { field: 'name', dir: 'asc' })))).toEqual(['y', 'x']);
});

test('a loaded row that still matches is replaced where it is, even when its sort key moved', () => {
  const state = loadedFromPage({ rows: [row('a', 30), row('b', 20), row('c', 10)], nextCursor: 'more' });
  const next = applyReread(state, ['c'], [row('c', 99)], byStreams, 0);
  expect(ids(next.rows)).toEqual(['a', 'b', 'c']);
  expect(next.rows[2]!.streams).toBe(99);
  expect(next.stale.size).toBe(0);
});

test('a loaded row that no longer matches is marked, not removed; matching again unmarks it', () => {
  const state = loadedFromPage({ rows: [row('a', 30), row('b', 20)], nextCursor: null });
  const marked = applyReread(state, ['b'], [], byStreams, 0);
  expect(ids(marked.rows)).toEqual(['a', 'b']);
  expect([...marked.stale]).toEqual(['b']);
  const back = applyReread(marked, ['b'], [row('b', 21)], byStreams, 0);
  expect(back.stale.size).toBe(0);
});

test('a new match inside the loaded range is inserted in sort order and highlighted; beyond it, left for paging', () => {
  const state = loadedFromPage({ rows: [row('a', 30), row('b', 20), row('c', 10)], nextCursor: 'more' });
  const inside = applyReread(state, ['n'], [row('n', 25)], byStreams, 1000);
  expect(ids(inside.rows)).toEqual(['a', 'n', 'b', 'c']);
  expect(inside.inserted.get('n')).toBe(1000);
  const beyond = applyReread(state, ['m'], [row('m', 5)], byStreams, 1000);
  expect(beyond).toBe(state);
  // With every page loaded there is no "beyond": it goes at the end.
  const all = applyReread({ ...state, nextCursor: null }, ['m'], [row('m', 5)], byStreams, 1000);
  expect(ids(all.rows)).toEqual(['a', 'b', 'c', 'm']);
});

test('several ids at once: updates, marks and inserts in one pass keep every row once', () => {
  const state = loadedFromPage({ rows: [row('a', 30), row('b', 20), row('c', 10)], nextCursor: null });
  const next = applyReread(state, ['a', 'b', 'x', 'y'], [row('a', 31), row('x', 15), row('y', 40)], byStreams, 5);
  expect(ids(next.rows)).toEqual(['y', 'a', 'b', 'x', 'c']);
  expect([...next.stale]).toEqual(['b']);
  expect(new Set(ids(next.rows)).size).toBe(next.rows.length);
});

test('the next page skips a row already loaded (inserted live), and highlights fade', () => {
  const state = applyReread(loadedFromPage({ rows: [row('a', 30), row('c', 10)], nextCursor: 'more' }), ['b'], [row('b', 20)], byStreams, 0);
  const paged = appendPage(state, { rows: [row('b', 20), row('d', 5)], nextCursor: null });
  expect(ids(paged.rows)).toEqual(['a', 'b', 'c', 'd']);
  expect(paged.nextCursor).toBeNull();
  expect(expireHighlights(paged, 10_000, 3_000).inserted.size).toBe(0);
  expect(expireHighlights(paged, 1_000, 3_000)).toBe(paged);
});

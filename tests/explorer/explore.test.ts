/**
 * tracks.explore and tracks.exploreCount at procedure level, against the fixture: each filter
 * alone and combined agrees with the filter written in TypeScript (fixture.ts `matches`); sorts
 * put nulls last both ways and break ties by id; keyset paging with any page size and sort gives
 * every matching row exactly once, in the order of one unpaged query (a fast-check property); a
 * cursor that was tampered with, or made for another sort, is a BAD_REQUEST with a sentence.
 */
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExplorerFilter, ExplorerSort } from '~/server/tracks/explorer-filter';
import { explorerSortFields } from '~/server/tracks/explorer-filter';
import { callerFor } from '../support/caller';
import { createTestRuntime, engines, type TestRuntime } from '../support/runtime';
import { insertFixture, makeFixture, matches, weeks, type Fixture } from './fixture';

type Caller = ReturnType<typeof callerFor>;

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe.each(engines)('the explorer on %s', (engine) => {
  let runtime: TestRuntime;
  let caller: Caller;
  let fixture: Fixture;

  beforeAll(async () => {
    runtime = await createTestRuntime({ engine });
    caller = callerFor(runtime);
    fixture = makeFixture();
    await insertFixture(runtime, runtime.workspaceId, fixture);
  }, 60_000);
  afterAll(() => runtime.dispose());

  const expectedIds = (filter: ExplorerFilter) =>
    fixture.tracks
      .filter((t) => matches(t, filter))
      .map((t) => t.id)
      .sort();
  const idsOf = async (filter: ExplorerFilter) => (await caller.tracks.explore({ filter, limit: 500 })).rows.map((row) => row.id).sort();

  const filters: [string, () => ExplorerFilter][] = [
    ['no filter', () => ({})],
    ['q in a name', () => ({ q: 'LOVE' })],
    ['q in an album', () => ({ q: 'second alb' })],
    ['q in an ISRC', () => ({ q: fixture.tracks.find((t) => t.isrc)!.isrc!.slice(3).toLowerCase() })],
    ['q in a label', () => ({ q: 'sub p' })],
    ['q in a songwriter', () => ({ q: 'ann smith' })],
    ['q in a producer', () => ({ q: 'max prod' })],
    ['q with LIKE wildcards in it', () => ({ q: '100%_' })],
    ['labels, any case', () => ({ labels: ['atlantic', 'WARP'] })],
    ['no label (null or empty)', () => ({ noLabel: true })],
    ['has a label', () => ({ noLabel: false })],
    ['labels or no label', () => ({ labels: ['Sub Pop'], noLabel: true })],
    ['an empty label in labels means no label', () => ({ labels: ['', 'warp'] })],
    ['statuses', () => ({ statuses: ['completed', 'failed'] })],
    ['an empty list restricts nothing', () => ({ statuses: [], labels: [], playlistIds: [] })],
    ['has an ISRC', () => ({ hasIsrc: true })],
    ['has no ISRC (null or empty)', () => ({ hasIsrc: false })],
    ['has credits', () => ({ hasCredits: true })],
    ['has no credits', () => ({ hasCredits: false })],
    ['streams at least (past 2^31)', () => ({ streamsMin: 3_000_000_000 })],
    ['streams at most', () => ({ streamsMax: 1000 })],
    ['streams in a range', () => ({ streamsMin: 1, streamsMax: 1000 })],
    ['popularity range', () => ({ popularityMin: 50, popularityMax: 99 })],
    ['popularity exactly 0', () => ({ popularityMax: 0 })],
    ['on a playlist', () => ({ playlistIds: [fixture.playlistIds[0]!] })],
    ['on any of two playlists', () => ({ playlistIds: fixture.playlistIds.slice(1) })],
    ['tagged', () => ({ tagIds: [fixture.tagIds[1]!] })],
    ['first seen in a week (its first and last microsecond included)', () => ({ firstSeenWeek: weeks[0]! })],
    ['first seen in the week of a Wednesday', () => ({ firstSeenWeek: '2025-03-12' })],
    ['first seen in a week with nothing', () => ({ firstSeenWeek: '2024-01-01' })],
    ['publisher statuses', () => ({ publisherStatuses: ['published', 'unknown'] })],
    ['combined: q, label, status, streams', () => ({ q: 'song', labels: ['atlantic'], statuses: ['completed', 'pending', 'failed'], streamsMin: 1 })],
    ['combined: playlist, tag, credits, ISRC', () => ({ playlistIds: fixture.playlistIds, tagIds: fixture.tagIds, hasCredits: true, hasIsrc: true })],
    ['combined: week, no label, popularity, publisher', () => ({ firstSeenWeek: weeks[0]!, noLabel: true, popularityMin: 0, publisherStatuses: ['unknown', 'unpublished'] })],
  ];

  test.each(filters)('filter: %s', async (_name, filter) => {
    const f = filter();
    const expected = expectedIds(f);
    expect(await idsOf(f)).toEqual(expected);
    expect((await caller.tracks.exploreCount({ filter: f })).count).toBe(expected.length);
  });

  test('the filters are not vacuous: each names some tracks and leaves out others', () => {
    for (const [name, filter] of filters) {
      if (['no filter', 'an empty list restricts nothing', 'first seen in a week with nothing', 'q with LIKE wildcards in it'].includes(name)) continue;
      const n = expectedIds(filter()).length;
      expect(n, name).toBeGreaterThan(0);
      expect(n, name).toBeLessThan(fixture.tracks.length);
    }
    // Hand-checked, not by `matches`: both spellings of a label, and both kinds of "no label".
    const atlantic = fixture.tracks.filter((t) => t.label?.toLowerCase() === 'atlantic').map((t) => t.label);
    expect(new Set(atlantic)).toEqual(new Set(['Atlantic', 'ATLANTIC']));
    const unlabelled = fixture.tracks.filter((t) => !t.label).map((t) => t.label);
    expect(new Set(unlabelled)).toEqual(new Set([null, '']));
  });

  test('rows carry their playlists and tags, by name', async () => {
    const { rows } = await caller.tracks.explore({ limit: 500 });
    expect(rows).toHaveLength(fixture.tracks.length);
    for (const row of rows) {
      const t = fixture.tracks.find((track) => track.id === row.id)!;
      expect(row.playlists.map((p) => p.id).sort()).toEqual([...t.playlistIds].sort());
      expect(row.tags.map((tag) => tag.id).sort()).toEqual([...t.tagIds].sort());
      for (const p of row.playlists) expect(p.name).toBe(fixture.playlistNames[p.id]);
      for (const tag of row.tags) expect(tag).toMatchObject({ name: fixture.tagNames[tag.id], color: expect.any(String) });
      expect(row.streams).toBe(t.streams); // a number, also past 2^31
      expect(row.firstSeenAt).toBe(t.firstSeenAt.replace(/(\.\d{3})\d{3}Z$/, '$1Z'));
    }
  });

  test.each(['asc', 'desc'] as const)('sort by a number %s: nulls last, ties by id in the same direction', async (dir) => {
    for (const field of ['streams', 'popularity'] as const) {
      const { rows } = await caller.tracks.explore({ sort: { field, dir }, limit: 500 });
      const sign = dir === 'asc' ? 1 : -1;
      const expected = [...fixture.tracks].sort((a, b) => {
        const x = a[field];
        const y = b[field];
        if (x === null || y === null) return x === y ? sign * a.id.localeCompare(b.id) : x === null ? 1 : -1;
        return x !== y ? sign * (x - y) : sign * a.id.localeCompare(b.id);
      });
      expect(rows.map((r) => r.id)).toEqual(expected.map((t) => t.id));
      expect(rows.at(-1)![field]).toBeNull();
    }
  });

  test.each(['asc', 'desc'] as const)('sort by first seen %s keeps microseconds apart', async (dir) => {
    const { rows } = await caller.tracks.explore({ sort: { field: 'firstSeenAt', dir }, limit: 500 });
    const sign = dir === 'asc' ? 1 : -1;
    const expected = [...fixture.tracks].sort((a, b) => (a.firstSeenAt !== b.firstSeenAt ? sign * (a.firstSeenAt < b.firstSeenAt ? -1 : 1) : sign * a.id.localeCompare(b.id)));
    expect(rows.map((r) => r.id)).toEqual(expected.map((t) => t.id));
  });

  test('the default sort is first seen, newest first', async () => {
    const byDefault = await caller.tracks.explore({ limit: 500 });
    const explicit = await caller.tracks.explore({ sort: { field: 'firstSeenAt', dir: 'desc' }, limit: 500 });
    expect(byDefault.rows.map((r) => r.id)).toEqual(explicit.rows.map((r) => r.id));
  });

  test.each(['label', 'releaseDate', 'enrichedAt'] as const)('sort by %s: null and empty sort last both ways', async (field) => {
    for (const dir of ['asc', 'desc'] as const) {
      const { rows } = await caller.tracks.explore({ sort: { field, dir }, limit: 500 });
      const isNull = rows.map((r) => r[field] === null || r[field] === '');
      const firstNull = isNull.indexOf(true);
      expect(firstNull, `${field} ${dir}`).toBeGreaterThan(0);
      expect(isNull.slice(firstNull).every(Boolean), `${field} ${dir}: a value after a null`).toBe(true);
    }
  });

  test('keyset paging: every matching row exactly once, in the order of one unpaged query (property)', async () => {
    const filterOptions: ExplorerFilter[] = [
      {},
      { q: 'o' },
      { noLabel: true, labels: ['atlantic'] },
      { statuses: ['completed', 'pending'] },
      { hasCredits: true },
      { streamsMin: 1000 },
      { playlistIds: [fixture.playlistIds[0]!, fixture.playlistIds[2]!] },
      { firstSeenWeek: weeks[0]! },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...filterOptions),
        fc.constantFrom(...explorerSortFields),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 1, max: 16 }),
        async (filter, field, dir, limit) => {
          const sort: ExplorerSort = { field, dir };
          const whole = await caller.tracks.explore({ filter, sort, limit: 500 });
          expect(whole.nextCursor).toBeNull();
          const paged: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: Awaited<ReturnType<Caller['tracks']['explore']>> = await caller.tracks.explore({ filter, sort, limit, cursor });
            expect(page.rows.length).toBeLessThanOrEqual(limit);
            if (page.nextCursor) expect(page.rows).toHaveLength(limit);
            paged.push(...page.rows.map((r) => r.id));
            cursor = page.nextCursor;
            expect(++pages).toBeLessThanOrEqual(fixture.tracks.length + 1);
          } while (cursor);
          expect(paged).toEqual(whole.rows.map((r) => r.id));
          expect([...paged].sort()).toEqual(expectedIds(filter));
        },
      ),
      { numRuns: 25, seed: 20260 },
    );
  }, 120_000);

  test('trackIds: only those tracks, still through the filter', async () => {
    const ids = fixture.tracks.slice(0, 10).map((t) => t.id);
    const filter: ExplorerFilter = { statuses: ['completed'] };
    const { rows } = await caller.tracks.explore({ filter, trackIds: ids });
    expect(rows.map((r) => r.id).sort()).toEqual(fixture.tracks.slice(0, 10).filter((t) => matches(t, filter)).map((t) => t.id).sort());
    expect((await caller.tracks.explore({ trackIds: [] })).rows).toEqual([]);
  });

  test('position is the workspace\'s outbox position, read before the page', async () => {
    const { position } = await caller.tracks.explore({});
    expect(position).toBe(runtime.log.idOf(await runtime.log.positionFor(runtime.workspaceId)));
  });

  describe('a cursor that is not one we made is a BAD_REQUEST with a sentence', () => {
    const sort: ExplorerSort = { field: 'streams', dir: 'desc' };
    const firstCursor = async () => (await caller.tracks.explore({ sort, limit: 5 })).nextCursor!;

    test('every single-character change is refused', async () => {
      const cursor = await firstCursor();
      for (let i = 0; i < cursor.length; i += 3) {
        const changed = cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
        const error = await errorOf(caller.tracks.explore({ sort, limit: 5, cursor: changed }));
        expect(error.code).toBe('BAD_REQUEST');
        expect(error.message).toMatch(/cursor .*(changed|not one this API made).*nextCursor/);
      }
    });

    test('cut short, garbage, or a forged value that is not a number', async () => {
      const cursor = await firstCursor();
      for (const bad of [cursor.slice(0, -1), cursor.split('.')[0]!, 'abc', '.', 'eyJhIjoxfQ.xxxxxxxxxxxxxxxx']) {
        expect((await errorOf(caller.tracks.explore({ sort, limit: 5, cursor: bad }))).code).toBe('BAD_REQUEST');
      }
    });

    test('a cursor of another sort order', async () => {
      const cursor = await firstCursor();
      const error = await errorOf(caller.tracks.explore({ sort: { field: 'name', dir: 'asc' }, limit: 5, cursor }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toContain('another sort order (streams desc)');
    });
  });

  test('bad filters are a BAD_REQUEST with a sentence', async () => {
    const cases: [unknown, RegExp | null][] = [
      [{ filter: { streamsMin: 10, streamsMax: 5 } }, /streamsMin \(10\) is above streamsMax \(5\)/],
      [{ filter: { firstSeenWeek: '2025-02-30' } }, /firstSeenWeek "2025-02-30" is not a date/],
      [{ filter: { bogus: 1 } }, null],
      [{ filter: { popularityMax: 101 } }, null],
      [{ sort: { field: 'createdAt', dir: 'asc' } }, null],
      [{ limit: 501 }, null],
      [{ trackIds: ['not an id!'] }, null],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(caller.tracks.explore(input as never));
      expect(error.code).toBe('BAD_REQUEST');
      // Input validation's sentence is made by the error formatter, on the wire; a domain refusal carries its own.
      if (message) expect(error.message).toMatch(message);
    }
    const count = await errorOf(caller.tracks.exploreCount({ filter: { popularityMin: 9, popularityMax: 1 } }));
    expect(count.code).toBe('BAD_REQUEST');
  });
});

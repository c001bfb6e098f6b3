/** The explorer's filter in the URL: what a link says is what the page asks the API for, and back. */
import { expect, test } from 'vitest';
import { activeFilterCount, exportHref, explorerQueryString, mondayOf, normalizeExplorerQuery, parseExplorerQuery } from '~/components/explorer/explorer-query';

test('every filter field survives the round trip through the query string', () => {
  const query = {
    filter: {
      q: 'love song',
      labels: ['Big Label', 'Small, Inc.'],
      noLabel: true,
      statuses: ['completed' as const, 'failed' as const],
      hasIsrc: true,
      hasCredits: false,
      streamsMin: 1000,
      streamsMax: 50000,
      popularityMin: 10,
      popularityMax: 90,
      playlistIds: ['pl_1', 'pl_2'],
      tagIds: ['tag_1'],
      firstSeenWeek: '2026-11-30',
      publisherStatuses: ['unpublished' as const],
    },
    sort: { field: 'streams' as const, dir: 'asc' as const },
  };
  const text = explorerQueryString(query);
  expect(parseExplorerQuery(new URLSearchParams(text))).toEqual(query);
  // Lists repeat their key; a comma inside a label is kept.
  expect(text).toContain('labels=Small%2C+Inc.');
  expect(text).toContain('statuses=completed&statuses=failed');
  expect(text).toContain('sort=streams.asc');
});

test('the contract example parses, and the default sort is left out of the URL', () => {
  expect(parseExplorerQuery(new URLSearchParams('q=love&statuses=completed&sort=streams.desc'))).toEqual({
    filter: { q: 'love', statuses: ['completed'] },
    sort: { field: 'streams', dir: 'desc' },
  });
  expect(explorerQueryString({ filter: {}, sort: { field: 'firstSeenAt', dir: 'desc' } })).toBe('');
});

test("Next's searchParams object (arrays for repeated keys) reads the same as URLSearchParams", () => {
  expect(parseExplorerQuery({ statuses: ['pending', 'failed'], q: 'x', other: undefined }).filter).toEqual({ q: 'x', statuses: ['pending', 'failed'] });
});

test('a hand-edited link with values the API would refuse drops them instead of failing', () => {
  const { filter, sort } = parseExplorerQuery(
    new URLSearchParams('statuses=weird&popularityMin=150&streamsMin=-3&streamsMax=abc&firstSeenWeek=2026-02-31&playlistIds=bad%20id&hasIsrc=yes&sort=nope.up&unknown=1'),
  );
  expect(filter).toEqual({});
  expect(sort).toEqual({ field: 'firstSeenAt', dir: 'desc' });
});

test('a range the wrong way round keeps its lower bound; duplicates in a list count once', () => {
  expect(parseExplorerQuery(new URLSearchParams('streamsMin=10&streamsMax=5&labels=A&labels=A')).filter).toEqual({ streamsMin: 10, labels: ['A'] });
});

test('normalising puts keys in one order, so equal filters give equal strings', () => {
  expect(normalizeExplorerQuery(new URLSearchParams('statuses=failed&q=a'))).toBe(normalizeExplorerQuery(new URLSearchParams('q=a&statuses=failed')));
});

test('the export link carries the filter and sort as JSON', () => {
  const href = exportHref({ filter: { q: '=cmd' }, sort: { field: 'name', dir: 'asc' } });
  const url = new URL(href, 'http://x');
  expect(url.pathname).toBe('/api/tracks/export');
  expect(JSON.parse(url.searchParams.get('filter')!)).toEqual({ q: '=cmd' });
  expect(JSON.parse(url.searchParams.get('sort')!)).toEqual({ field: 'name', dir: 'asc' });
});

test('counting filters and finding a week’s Monday', () => {
  expect(activeFilterCount({ q: 'a', statuses: [], hasIsrc: false })).toBe(2);
  expect(mondayOf('2026-12-03')).toBe('2026-11-30');
  expect(mondayOf('2026-11-30')).toBe('2026-11-30');
  expect(mondayOf('2026-12-06')).toBe('2026-11-30');
});

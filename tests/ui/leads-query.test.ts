/** The leads filter in the URL: what a link says is what the list, the board and the export ask for. */
import { expect, test } from 'vitest';
import {
  activeLeadsFilterCount,
  leadsExportHref,
  leadsListInput,
  leadsQueryString,
  parseLeadsQuery,
  scoreBandOf,
  withScoreBand,
  type LeadsQuery,
} from '~/components/songwriters/leads-query';

test('every filter field survives the round trip through the query string', () => {
  const query: LeadsQuery = {
    q: 'smith',
    scoreMin: 6,
    scoreMax: 7.9,
    publisherStatuses: ['unpublished', 'unknown'],
    stages: ['contacted', 'none'],
    ownerId: 'user_1',
    sort: 'streams',
    dir: 'asc',
    page: 3,
  };
  const text = leadsQueryString(query);
  expect(parseLeadsQuery(new URLSearchParams(text))).toEqual(query);
  expect(text).toContain('score=6-7.9');
  expect(text).toContain('stages=contacted&stages=none');
  expect(text).toContain('sort=streams.asc');
});

test('the defaults (best score first, page 1) are left out of the URL, and extra keys come first', () => {
  expect(leadsQueryString({ sort: 'score', dir: 'desc', page: 1 })).toBe('');
  expect(leadsQueryString({ sort: 'score', dir: 'desc', page: 1, q: 'x' }, { view: 'list', other: undefined })).toBe('view=list&q=x');
});

test('values the API would refuse are dropped from a hand-edited link', () => {
  const query = parseLeadsQuery({ score: '9-3', stages: ['contacted', 'bogus'], publisherStatuses: 'signed', owner: 'not an id!', sort: 'height.desc', page: '0' });
  expect(query).toEqual({ stages: ['contacted'], sort: 'score', dir: 'desc', page: 1 });
  expect(parseLeadsQuery({ score: '0-10' })).toEqual({ sort: 'score', dir: 'desc', page: 1 });
  expect(parseLeadsQuery({ score: '11-12' }).scoreMax).toBeUndefined();
});

test('score bands: picking one sets the range and goes back to page 1; another range is "custom"', () => {
  const picked = withScoreBand({ sort: 'score', dir: 'desc', page: 4 }, '8-10');
  expect(picked).toEqual({ scoreMin: 8, sort: 'score', dir: 'desc', page: 1 });
  expect(scoreBandOf(picked)).toBe('8-10');
  expect(scoreBandOf(withScoreBand(picked, '0-3.9'))).toBe('0-3.9');
  expect(withScoreBand(picked, '')).toEqual({ sort: 'score', dir: 'desc', page: 1 });
  expect(scoreBandOf({ scoreMin: 2, scoreMax: 5 })).toBe('custom');
  expect(scoreBandOf({})).toBe('');
});

test('the list input pages by 50; on the contacts page "no contact" asks for nothing', () => {
  expect(leadsListInput(parseLeadsQuery(new URLSearchParams('stages=none&stages=signed&page=2')))).toEqual({ stages: ['none', 'signed'], sort: 'score', dir: 'desc', limit: 50, offset: 50 });
  expect(leadsListInput(parseLeadsQuery(new URLSearchParams('stages=none&page=2')), { contactsOnly: true })).toEqual({ contactsOnly: true, sort: 'score', dir: 'desc', limit: 50, offset: 50 });
});

test('the export link carries the list filter (no page) as JSON', () => {
  const query = parseLeadsQuery(new URLSearchParams('q=a%26b&score=8-10&owner=none&page=3'));
  const href = leadsExportHref(query, { contactsOnly: true });
  expect(href.startsWith('/api/leads/export?filter=')).toBe(true);
  const filter = JSON.parse(new URL(href, 'http://x').searchParams.get('filter')!);
  expect(filter).toEqual({ q: 'a&b', scoreMin: 8, ownerId: 'none', contactsOnly: true, sort: 'score', dir: 'desc' });
  expect(activeLeadsFilterCount(query)).toBe(3);
});

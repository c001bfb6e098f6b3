/**
 * The explorer's filter and sort in the URL's query string, both ways. The URL is the state: a
 * link or a saved view (`views.save`'s `query`) reproduces the same rows, and back/forward walk
 * through the filters a person tried. Lists repeat their key (`statuses=completed&statuses=failed`),
 * booleans are `1`/`0`, the sort is `sort=field.dir`. A value the API would refuse (a hand-edited
 * link) is left out rather than failing the page.
 */
import type { RouterInputs } from '~/trpc/types';

type ExploreInput = Exclude<RouterInputs['tracks']['explore'], void | undefined>;
export type ExplorerFilter = NonNullable<ExploreInput['filter']>;
export type ExplorerSort = NonNullable<ExploreInput['sort']>;
export type SortField = ExplorerSort['field'];
export type TrackStatus = NonNullable<ExplorerFilter['statuses']>[number];
export type PublisherStatus = NonNullable<ExplorerFilter['publisherStatuses']>[number];

export const sortFields = ['name', 'artist', 'label', 'streams', 'popularity', 'releaseDate', 'firstSeenAt', 'enrichedAt'] as const satisfies readonly SortField[];
export const trackStatuses = ['pending', 'enriching', 'completed', 'failed'] as const satisfies readonly TrackStatus[];
export const publisherStatuses = ['published', 'unpublished', 'unknown'] as const satisfies readonly PublisherStatus[];
export const defaultSort: ExplorerSort = { field: 'firstSeenAt', dir: 'desc' };
/** Rows per page, for the page the server renders and each page loaded while scrolling. */
export const EXPLORER_PAGE = 100;

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LIST_MAX = 50;

export interface ExplorerQuery {
  filter: ExplorerFilter;
  sort: ExplorerSort;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function toSearchParams(params: Params): URLSearchParams {
  if (params instanceof URLSearchParams) return params;
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.append(key, one);
  }
  return out;
}

const unique = <T>(values: T[]) => [...new Set(values)];

function list(params: URLSearchParams, key: string, valid: (value: string) => boolean, max = LIST_MAX): string[] | undefined {
  const values = unique(params.getAll(key).filter(valid)).slice(0, max);
  return values.length > 0 ? values : undefined;
}

function flag(params: URLSearchParams, key: string): boolean | undefined {
  const value = params.get(key);
  return value === '1' ? true : value === '0' ? false : undefined;
}

function whole(params: URLSearchParams, key: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = params.get(key);
  if (value === null || !/^\d{1,15}$/.test(value)) return undefined;
  const number = Number(value);
  return number <= max ? number : undefined;
}

function isDay(value: string): boolean {
  return DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

export function parseExplorerQuery(input: Params): ExplorerQuery {
  const params = toSearchParams(input);
  const filter: ExplorerFilter = {};
  const q = params.get('q')?.trim().slice(0, 200);
  if (q) filter.q = q;
  const labels = list(params, 'labels', (value) => value.length > 0 && value.length <= 200);
  if (labels) filter.labels = labels;
  const noLabel = flag(params, 'noLabel');
  if (noLabel) filter.noLabel = true;
  const statuses = list(params, 'statuses', (value) => (trackStatuses as readonly string[]).includes(value));
  if (statuses) filter.statuses = statuses as TrackStatus[];
  const hasIsrc = flag(params, 'hasIsrc');
  if (hasIsrc !== undefined) filter.hasIsrc = hasIsrc;
  const hasCredits = flag(params, 'hasCredits');
  if (hasCredits !== undefined) filter.hasCredits = hasCredits;
  const streamsMin = whole(params, 'streamsMin');
  const streamsMax = whole(params, 'streamsMax');
  const popularityMin = whole(params, 'popularityMin', 100);
  const popularityMax = whole(params, 'popularityMax', 100);
  // A range the wrong way round matches nothing (the API says so): keep the lower bound only.
  if (streamsMin !== undefined) filter.streamsMin = streamsMin;
  if (streamsMax !== undefined && (streamsMin === undefined || streamsMax >= streamsMin)) filter.streamsMax = streamsMax;
  if (popularityMin !== undefined) filter.popularityMin = popularityMin;
  if (popularityMax !== undefined && (popularityMin === undefined || popularityMax >= popularityMin)) filter.popularityMax = popularityMax;
  const playlistIds = list(params, 'playlistIds', (value) => ID.test(value));
  if (playlistIds) filter.playlistIds = playlistIds;
  const tagIds = list(params, 'tagIds', (value) => ID.test(value));
  if (tagIds) filter.tagIds = tagIds;
  const week = params.get('firstSeenWeek');
  if (week && isDay(week)) filter.firstSeenWeek = week;
  const publisher = list(params, 'publisherStatuses', (value) => (publisherStatuses as readonly string[]).includes(value));
  if (publisher) filter.publisherStatuses = publisher as PublisherStatus[];
  return { filter, sort: parseSort(params.get('sort')) };
}

function parseSort(value: string | null): ExplorerSort {
  const [field, dir] = (value ?? '').split('.');
  if ((sortFields as readonly string[]).includes(field ?? '') && (dir === 'asc' || dir === 'desc')) return { field: field as SortField, dir };
  return defaultSort;
}

/** The query string for a filter and sort (without `?`), keys in a fixed order so equal states give equal strings. */
export function explorerQueryString({ filter, sort }: ExplorerQuery): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  for (const label of filter.labels ?? []) params.append('labels', label);
  if (filter.noLabel) params.set('noLabel', '1');
  for (const status of filter.statuses ?? []) params.append('statuses', status);
  if (filter.hasIsrc !== undefined) params.set('hasIsrc', filter.hasIsrc ? '1' : '0');
  if (filter.hasCredits !== undefined) params.set('hasCredits', filter.hasCredits ? '1' : '0');
  if (filter.streamsMin !== undefined) params.set('streamsMin', String(filter.streamsMin));
  if (filter.streamsMax !== undefined) params.set('streamsMax', String(filter.streamsMax));
  if (filter.popularityMin !== undefined) params.set('popularityMin', String(filter.popularityMin));
  if (filter.popularityMax !== undefined) params.set('popularityMax', String(filter.popularityMax));
  for (const id of filter.playlistIds ?? []) params.append('playlistIds', id);
  for (const id of filter.tagIds ?? []) params.append('tagIds', id);
  if (filter.firstSeenWeek) params.set('firstSeenWeek', filter.firstSeenWeek);
  for (const status of filter.publisherStatuses ?? []) params.append('publisherStatuses', status);
  if (sort.field !== defaultSort.field || sort.dir !== defaultSort.dir) params.set('sort', `${sort.field}.${sort.dir}`);
  return params.toString();
}

/** The same query, normalised (unknown keys and refused values dropped, keys in order). */
export function normalizeExplorerQuery(input: Params): string {
  return explorerQueryString(parseExplorerQuery(input));
}

/** How many filter fields are set (for "3 filters" and "Clear"). */
export function activeFilterCount(filter: ExplorerFilter): number {
  return Object.values(filter).filter((value) => value !== undefined && !(Array.isArray(value) && value.length === 0)).length;
}

/** The CSV export of exactly these rows: the route takes filter and sort as JSON. */
export function exportHref({ filter, sort }: ExplorerQuery): string {
  const params = new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify(sort) });
  return `/api/tracks/export?${params.toString()}`;
}

/** The Monday (UTC) of the ISO week a day falls in, as YYYY-MM-DD. */
export function mondayOf(day: string): string {
  const at = new Date(`${day}T00:00:00Z`);
  return new Date(at.getTime() - ((at.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The leads filter (songwriters list, contacts list and board) in the URL's query string, both
 * ways, and what it asks the API for. The URL is the state: a link reproduces the same rows, and
 * back/forward walk through the filters tried. Lists repeat their key (`stages=new&stages=none`),
 * the score band is `score=min-max` (one decimal), the sort `sort=field.dir`, the page `page=n`
 * (from 1). A value the API would refuse (a hand-edited link) is left out rather than failing.
 */
import { stageLabels } from '~/server/contacts/stage-labels';
import type { ContactStage } from '~/server/db/schema';
import type { PublisherStatus } from '~/server/songwriters/types';

export type { ContactStage, PublisherStatus };

/** Board order. */
export const contactStages = ['new', 'researching', 'contacted', 'in_talks', 'signed', 'passed'] as const satisfies readonly ContactStage[];
export { stageLabels };

/** A stage, or "no contact" (songwriters nobody added yet). */
export type StageFilter = ContactStage | 'none';
export const stageFilterLabel = (stage: StageFilter) => (stage === 'none' ? 'No contact' : stageLabels[stage]);

export const publisherStatuses = ['unpublished', 'unknown', 'published'] as const satisfies readonly PublisherStatus[];

export const leadsSorts = ['score', 'name', 'streams', 'tracks', 'firstSeen', 'updated'] as const;
export type LeadsSort = (typeof leadsSorts)[number];
export type SortDir = 'asc' | 'desc';
/** The direction a column sorts in first: names A-Z, numbers and dates biggest or newest first. */
export const firstDir = (sort: LeadsSort): SortDir => (sort === 'name' ? 'asc' : 'desc');

/** Named score bands (scores have one decimal, so 7.9 and 8 fall apart). Any other range is kept as "custom". */
export const scoreBands = [
  { value: '8-10', label: '8 – 10: call first', min: 8, max: 10 },
  { value: '6-7.9', label: '6 – 7.9', min: 6, max: 7.9 },
  { value: '4-5.9', label: '4 – 5.9', min: 4, max: 5.9 },
  { value: '0-3.9', label: '0 – 3.9', min: 0, max: 3.9 },
] as const;

/** Rows per page of the lists. */
export const LEADS_PAGE = 50;

export interface LeadsQuery {
  q?: string;
  scoreMin?: number;
  scoreMax?: number;
  publisherStatuses?: PublisherStatus[];
  stages?: StageFilter[];
  /** A member's user id, or "none" for leads nobody owns. */
  ownerId?: string;
  sort: LeadsSort;
  dir: SortDir;
  /** From 1. */
  page: number;
}

export const defaultLeadsQuery: LeadsQuery = { sort: 'score', dir: 'desc', page: 1 };

const ID = /^[A-Za-z0-9_-]{1,100}$/;
const SCORE = /^(\d{1,2}(?:\.\d)?)-(\d{1,2}(?:\.\d)?)$/;

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

function list<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[]): T[] | undefined {
  const values = [...new Set(params.getAll(key))].filter((value): value is T => (allowed as readonly string[]).includes(value));
  return values.length > 0 ? values : undefined;
}

export function parseLeadsQuery(input: Params): LeadsQuery {
  const params = toSearchParams(input);
  const query: LeadsQuery = { ...defaultLeadsQuery };
  const q = params.get('q')?.trim().slice(0, 200);
  if (q) query.q = q;
  const score = SCORE.exec(params.get('score') ?? '');
  if (score) {
    const min = Number(score[1]);
    const max = Number(score[2]);
    if (min <= max && max <= 10) {
      if (min > 0) query.scoreMin = min;
      if (max < 10) query.scoreMax = max;
    }
  }
  const statuses = list(params, 'publisherStatuses', publisherStatuses);
  if (statuses) query.publisherStatuses = statuses;
  const stages = list<StageFilter>(params, 'stages', [...contactStages, 'none']);
  if (stages) query.stages = stages;
  const owner = params.get('owner');
  if (owner && ID.test(owner)) query.ownerId = owner;
  const [sort, dir] = (params.get('sort') ?? '').split('.');
  if ((leadsSorts as readonly string[]).includes(sort ?? '') && (dir === 'asc' || dir === 'desc')) {
    query.sort = sort as LeadsSort;
    query.dir = dir;
  }
  const page = params.get('page');
  if (page && /^\d{1,6}$/.test(page) && Number(page) >= 1) query.page = Number(page);
  return query;
}

/** The query string (without `?`), keys in a fixed order so equal states give equal strings; defaults are left out. */
export function leadsQueryString(query: LeadsQuery, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  if (query.q) params.set('q', query.q);
  if (query.scoreMin !== undefined || query.scoreMax !== undefined) params.set('score', `${query.scoreMin ?? 0}-${query.scoreMax ?? 10}`);
  for (const status of query.publisherStatuses ?? []) params.append('publisherStatuses', status);
  for (const stage of query.stages ?? []) params.append('stages', stage);
  if (query.ownerId) params.set('owner', query.ownerId);
  if (query.sort !== defaultLeadsQuery.sort || query.dir !== defaultLeadsQuery.dir) params.set('sort', `${query.sort}.${query.dir}`);
  if (query.page > 1) params.set('page', String(query.page));
  return params.toString();
}

/** The band a query's score range is, `custom` for another range, `''` for none. */
export function scoreBandOf(query: Pick<LeadsQuery, 'scoreMin' | 'scoreMax'>): string {
  if (query.scoreMin === undefined && query.scoreMax === undefined) return '';
  const min = query.scoreMin ?? 0;
  const max = query.scoreMax ?? 10;
  return scoreBands.find((band) => band.min === min && band.max === max)?.value ?? 'custom';
}

export function withScoreBand(query: LeadsQuery, band: string): LeadsQuery {
  const found = scoreBands.find((one) => one.value === band);
  const { scoreMin: _min, scoreMax: _max, ...rest } = query;
  if (!found) return { ...rest, page: 1 };
  return { ...rest, ...(found.min > 0 ? { scoreMin: found.min } : {}), ...(found.max < 10 ? { scoreMax: found.max } : {}), page: 1 };
}

/** What `songwriters.list` is asked for (the export takes the same, less the page). */
export interface LeadsListFilter {
  q?: string;
  scoreMin?: number;
  scoreMax?: number;
  publisherStatuses?: PublisherStatus[];
  stages?: StageFilter[];
  ownerId?: string;
  contactsOnly?: boolean;
  sort: LeadsSort;
  dir: SortDir;
}

export function leadsListFilter(query: LeadsQuery, opts: { contactsOnly?: boolean } = {}): LeadsListFilter {
  const filter: LeadsListFilter = { sort: query.sort, dir: query.dir };
  if (query.q) filter.q = query.q;
  if (query.scoreMin !== undefined) filter.scoreMin = query.scoreMin;
  if (query.scoreMax !== undefined) filter.scoreMax = query.scoreMax;
  if (query.publisherStatuses) filter.publisherStatuses = query.publisherStatuses;
  // "No contact" means nothing on the contacts page, where every row is a contact.
  const stages = opts.contactsOnly ? query.stages?.filter((stage) => stage !== 'none') : query.stages;
  if (stages && stages.length > 0) filter.stages = stages;
  if (query.ownerId) filter.ownerId = query.ownerId;
  if (opts.contactsOnly) filter.contactsOnly = true;
  return filter;
}

export function leadsListInput(query: LeadsQuery, opts: { contactsOnly?: boolean } = {}) {
  return { ...leadsListFilter(query, opts), limit: LEADS_PAGE, offset: (query.page - 1) * LEADS_PAGE };
}

/** The leads CSV of exactly these rows (every page). */
export function leadsExportHref(query: LeadsQuery, opts: { contactsOnly?: boolean } = {}): string {
  return `/api/leads/export?${new URLSearchParams({ filter: JSON.stringify(leadsListFilter(query, opts)) }).toString()}`;
}

/** How many filter fields are set (for "Clear 3 filters"). */
export function activeLeadsFilterCount(query: LeadsQuery): number {
  return [query.q, query.scoreMin ?? query.scoreMax, query.publisherStatuses, query.stages, query.ownerId].filter((value) => value !== undefined).length;
}

export function clearedLeadsQuery(query: LeadsQuery): LeadsQuery {
  return { sort: query.sort, dir: query.dir, page: 1 };
}

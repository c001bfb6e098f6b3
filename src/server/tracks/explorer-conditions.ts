/**
 * An explorer filter as SQL conditions on `tracks`. Each condition is written the way an index
 * of the tracks table (schema.ts, "Explorer") spells its expression, so the planner can use it:
 * the label filter shares the label sort's `nullif(lower(label), '')`, the text search the
 * trigram index's `trackSearchText`.
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { playlistTracks, tracks, trackSearchText, trackTags } from '~/server/db/schema';
import { ExplorerError } from './explorer-error';
import type { ExplorerFilter } from './explorer-filter';

const DAY_MS = 86_400_000;

export const labelKey = sql`nullif(lower(${tracks.label}), '')`;
const emptyJson = sql`'[]'::jsonb`;

/** `%` and `_` in what a person types are characters to find, not wildcards. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The Monday 00:00 UTC that starts the ISO week `day` (YYYY-MM-DD) falls in. */
export function weekStart(day: string): Date {
  const at = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== day) {
    throw new ExplorerError('BAD_FILTER', `firstSeenWeek "${day}" is not a date: send the Monday of the week as YYYY-MM-DD.`);
  }
  return new Date(at.getTime() - ((at.getUTCDay() + 6) % 7) * DAY_MS);
}

function checkRange(name: string, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw new ExplorerError('BAD_FILTER', `${name}Min (${min}) is above ${name}Max (${max}): no track can match; swap them or drop one.`);
  }
}

/**
 * The conditions a track of `workspaceId` must meet to match `filter` (all of them). An empty
 * list (`statuses: []`, say) restricts nothing, as a cleared multi-select in the UI means.
 */
export function explorerConditions(workspaceId: string, filter: ExplorerFilter = {}): SQL[] {
  checkRange('streams', filter.streamsMin, filter.streamsMax);
  checkRange('popularity', filter.popularityMin, filter.popularityMax);
  const conditions: (SQL | undefined)[] = [eq(tracks.workspaceId, workspaceId)];
  if (filter.q) conditions.push(sql`${trackSearchText} ILIKE ${likePattern(filter.q)}`);

  const labels = (filter.labels ?? []).map((label) => label.trim().toLowerCase());
  const named = [...new Set(labels.filter((label) => label !== ''))];
  // An empty label in the list asks for tracks without one, as noLabel does.
  const unlabelled = filter.noLabel === true || labels.includes('');
  if (named.length > 0 || unlabelled) {
    conditions.push(or(named.length > 0 ? inArray(labelKey, named) : undefined, unlabelled ? isNull(labelKey) : undefined));
  } else if (filter.noLabel === false) {
    conditions.push(isNotNull(labelKey));
  }

  if (filter.statuses?.length) conditions.push(inArray(tracks.enrichmentStatus, filter.statuses));
  if (filter.hasIsrc !== undefined) {
    const isrc = sql`nullif(${tracks.isrc}, '')`;
    conditions.push(filter.hasIsrc ? isNotNull(isrc) : isNull(isrc));
  }
  if (filter.hasCredits !== undefined) {
    const credits = or(
      sql`coalesce(${tracks.songwriters}, ${emptyJson}) <> ${emptyJson}`,
      sql`coalesce(${tracks.producers}, ${emptyJson}) <> ${emptyJson}`,
    )!;
    conditions.push(filter.hasCredits ? credits : sql`not (${credits})`);
  }
  if (filter.streamsMin !== undefined) conditions.push(gte(tracks.streams, filter.streamsMin));
  if (filter.streamsMax !== undefined) conditions.push(lte(tracks.streams, filter.streamsMax));
  if (filter.popularityMin !== undefined) conditions.push(gte(tracks.popularity, filter.popularityMin));
  if (filter.popularityMax !== undefined) conditions.push(lte(tracks.popularity, filter.popularityMax));
  if (filter.playlistIds?.length) {
    conditions.push(sql`exists (select 1 from ${playlistTracks} where ${playlistTracks.trackId} = ${tracks.id} and ${inArray(playlistTracks.playlistId, filter.playlistIds)})`);
  }
  if (filter.tagIds?.length) {
    conditions.push(sql`exists (select 1 from ${trackTags} where ${trackTags.trackId} = ${tracks.id} and ${inArray(trackTags.tagId, filter.tagIds)})`);
  }
  if (filter.firstSeenWeek) {
    const from = weekStart(filter.firstSeenWeek);
    conditions.push(and(gte(tracks.firstSeenAt, from), lt(tracks.firstSeenAt, new Date(from.getTime() + 7 * DAY_MS))));
  }
  if (filter.publisherStatuses?.length) conditions.push(inArray(tracks.publisherStatus, filter.publisherStatuses));
  return conditions.filter((c): c is SQL => c !== undefined);
}

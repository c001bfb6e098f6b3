/**
 * The explorer's sort keys and their keyset conditions.
 *
 * Order: the key in the asked direction with nulls last, then id in the same direction. Each key
 * has one index, (workspace, key, id) (schema.ts, "Explorer"), and a page is read in two parts
 * so that one index serves both directions with nulls last: the rows whose key is set, in the
 * index's order read forwards or backwards, then the rows whose key is null, by id. A cursor in
 * the first part continues there and then takes the nulls; a cursor among the nulls continues
 * among them. No OFFSET: every page costs the same, however deep.
 */
import { asc, desc, gt, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { tracks } from '~/server/db/schema';
import { labelKey } from './explorer-conditions';
import type { ExplorerCursor } from './explorer-cursor';
import { ExplorerError } from './explorer-error';
import type { ExplorerSort, ExplorerSortField } from './explorer-filter';

type KeyKind = 'text' | 'integer' | 'timestamp';

interface SortKey {
  /** The key as the index spells it. */
  expr: SQL;
  kind: KeyKind;
  /** Not-null columns need no second part. */
  nullable: boolean;
}

const keys: Record<ExplorerSortField, SortKey> = {
  name: { expr: sql`lower(${tracks.name})`, kind: 'text', nullable: false },
  artist: { expr: sql`lower(${tracks.artist})`, kind: 'text', nullable: false },
  label: { expr: labelKey, kind: 'text', nullable: true },
  streams: { expr: sql`${tracks.streams}`, kind: 'integer', nullable: true },
  popularity: { expr: sql`${tracks.popularity}`, kind: 'integer', nullable: true },
  releaseDate: { expr: sql`nullif(${tracks.releaseDate}, '')`, kind: 'text', nullable: true },
  firstSeenAt: { expr: sql`${tracks.firstSeenAt}`, kind: 'timestamp', nullable: false },
  enrichedAt: { expr: sql`${tracks.enrichedAt}`, kind: 'timestamp', nullable: true },
};

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const INTEGER = /^\d{1,18}$/;
const MAX_TEXT = 16_000;

export function sortKeyOf(field: ExplorerSortField): SortKey {
  return keys[field];
}

/**
 * The key as the cursor carries it: text that casts back to the very same value (a timestamp with
 * its microseconds, which a JavaScript Date would drop).
 */
export function cursorValueSql(field: ExplorerSortField): SQL {
  const { expr, kind } = keys[field];
  if (kind === 'timestamp') return sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  if (kind === 'integer') return sql`(${expr})::text`;
  return expr;
}

const refuse = () =>
  new ExplorerError('BAD_CURSOR', 'This cursor is not one this API made: send the nextCursor of the previous page unchanged, or leave it out to start from the first page.');

/** A cursor's value as a typed parameter, or BAD_REQUEST when it cannot be one of this key's values. */
function valueParam(field: ExplorerSortField, value: string): SQL {
  const { kind } = keys[field];
  if (kind === 'timestamp') {
    if (!TIMESTAMP.test(value) || Number.isNaN(Date.parse(value))) throw refuse();
    return sql`${value}::timestamptz`;
  }
  if (kind === 'integer') {
    if (!INTEGER.test(value)) throw refuse();
    return sql`${value}::bigint`;
  }
  if (value.length > MAX_TEXT || value.includes('\0') || !value.isWellFormed()) throw refuse();
  return sql`${value}::text`;
}

export interface PagePart {
  where: SQL[];
  orderBy: SQL[];
}

/** The one or two parts a page is read from, in order, each with its keyset condition. */
export function pageParts(sort: ExplorerSort, cursor: ExplorerCursor | null): PagePart[] {
  const { expr, nullable } = keys[sort.field];
  const after = sort.dir === 'asc' ? gt : lt;
  const direction = sort.dir === 'asc' ? asc : desc;
  const byId = direction(tracks.id);
  const setPart = (where: SQL[]): PagePart => ({ where, orderBy: [direction(expr), byId] });
  const nullPart = (where: SQL[]): PagePart => ({ where: [isNull(expr), ...where], orderBy: [byId] });

  if (!cursor) return nullable ? [setPart([isNotNull(expr)]), nullPart([])] : [setPart([])];
  if (cursor.value === null) {
    if (!nullable) throw refuse();
    return [nullPart([after(tracks.id, cursor.id)])];
  }
  const value = valueParam(sort.field, cursor.value);
  // A row comparison: the index serves it as one range, (key, id) past the cursor's.
  const past = sql`(${expr}, ${tracks.id}) ${sql.raw(sort.dir === 'asc' ? '>' : '<')} (${value}, ${cursor.id})`;
  return nullable ? [setPart([isNotNull(expr), past]), nullPart([])] : [setPart([past])];
}

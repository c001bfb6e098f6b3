/**
 * The track explorer's reads: a page of tracks matching a filter, in a sort order, continued by
 * an opaque keyset cursor; and how many tracks match. Each row comes with its playlists and tags.
 * The CSV export pages through the same query (export-tracks.ts).
 */
import { count, inArray, sql, type SQL } from 'drizzle-orm';
import { rows as queryRows, type Executor } from '~/server/db/database';
import { playlists, playlistTracks, tags, tracks, trackTags, type PublisherStatus, type TrackStatus } from '~/server/db/schema';
import { explorerConditions } from './explorer-conditions';
import { decodeCursor, encodeCursor } from './explorer-cursor';
import { defaultExplorerSort, type ExplorerFilter, type ExplorerSort } from './explorer-filter';
import { cursorValueSql, pageParts, sortKeyOf } from './explorer-sort';

export interface ExplorerRow {
  id: string;
  spotifyId: string;
  name: string;
  artist: string;
  album: string | null;
  isrc: string | null;
  label: string | null;
  releaseDate: string | null;
  popularity: number | null;
  streams: number | null;
  playlistReach: number | null;
  songwriters: string[] | null;
  producers: string[] | null;
  enrichmentStatus: TrackStatus;
  enrichmentError: string | null;
  enrichedAt: string | null;
  firstSeenAt: string;
  updatedAt: string;
  artworkUrl: string | null;
  publisherStatus: PublisherStatus;
  playlists: { id: string; name: string }[];
  tags: { id: string; name: string; color: string }[];
}

export interface ExploreRequest {
  filter?: ExplorerFilter;
  sort?: ExplorerSort;
  /** The previous page's nextCursor; absent or null for the first page. */
  cursor?: string | null;
  limit?: number;
  /** Only these tracks (still through the filter): how the live explorer re-reads rows an event touched. */
  trackIds?: readonly string[];
}

export interface ExplorePage {
  rows: ExplorerRow[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 100;

// The page's rows are picked first (keyset over the sort key's index), and only those get their
// playlists and tags, so a page costs the same however many tracks match.
const pageColumns = sql`${tracks.id} as "id", ${tracks.spotifyId} as "spotifyId", ${tracks.name} as "name", ${tracks.artist} as "artist",
  ${tracks.album} as "album", ${tracks.isrc} as "isrc", ${tracks.label} as "label", ${tracks.releaseDate} as "releaseDate",
  ${tracks.popularity} as "popularity", ${tracks.streams} as "streams", ${tracks.playlistReach} as "playlistReach",
  ${tracks.songwriters} as "songwriters", ${tracks.producers} as "producers", ${tracks.enrichmentStatus} as "enrichmentStatus",
  ${tracks.enrichmentError} as "enrichmentError", ${tracks.enrichedAt} as "enrichedAt", ${tracks.firstSeenAt} as "firstSeenAt",
  ${tracks.updatedAt} as "updatedAt", ${tracks.artworkUrl} as "artworkUrl", ${tracks.publisherStatus} as "publisherStatus"`;

/** toISOString's form (milliseconds, UTC), made by the database. */
const isoText = (column: string) => sql.raw(`to_char(page."${column}" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * A row as the API returns it, built in the database: the whole page comes back as one JSON
 * value. PGlite hands every cell of a result through its wire-protocol parser in JavaScript, which
 * was most of an export's time; one cell per page costs a single JSON.parse.
 */
const rowObject = sql.join(
  [
    ...['id', 'spotifyId', 'name', 'artist', 'album', 'isrc', 'label', 'releaseDate', 'popularity', 'streams', 'playlistReach', 'songwriters', 'producers', 'enrichmentStatus', 'enrichmentError', 'artworkUrl', 'publisherStatus', 'sortValue'].map(
      (column) => sql.raw(`'${column}', page."${column}"`),
    ),
    ...(['enrichedAt', 'firstSeenAt', 'updatedAt'] as const).map((column) => sql`${sql.raw(`'${column}'`)}, ${isoText(column)}`),
    sql.raw(`'playlists', coalesce(page_playlists."list", '[]'::json)`),
    sql.raw(`'tags', coalesce(page_tags."list", '[]'::json)`),
  ],
  sql`, `,
);

const page = (column: string) => sql.raw(`page."${column}"`);

// Playlists and tags of the page's rows, aggregated once for the whole page (a correlated
// subquery per row costs PGlite a plan per row: 3 times slower). `= any(array(...))` looks the
// page's ids up in the track index; `in (select ...)` let the planner scan every membership.
const playlistsOfPage = sql`select ${playlistTracks.trackId} as "trackId",
    json_agg(json_build_object('id', ${playlists.id}, 'name', ${playlists.name}) order by lower(${playlists.name}), ${playlists.id}) as "list"
  from ${playlistTracks} join ${playlists} on ${playlists.id} = ${playlistTracks.playlistId}
  where ${playlistTracks.trackId} = any(array(select "id" from page)) group by ${playlistTracks.trackId}`;

const tagsOfPage = sql`select ${trackTags.trackId} as "trackId",
    json_agg(json_build_object('id', ${tags.id}, 'name', ${tags.name}, 'color', ${tags.color}) order by lower(${tags.name}), ${tags.id}) as "list"
  from ${trackTags} join ${tags} on ${tags.id} = ${trackTags.tagId}
  where ${trackTags.trackId} = any(array(select "id" from page)) group by ${trackTags.trackId}`;

type PageRow = ExplorerRow & { sortValue: string | null };

/** A page of the workspace's tracks matching the request's filter, in its sort order. */
export async function exploreTracks(db: Executor, workspaceId: string, request: ExploreRequest = {}): Promise<ExplorePage> {
  const sort = request.sort ?? defaultExplorerSort;
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  const cursor = request.cursor ? decodeCursor(request.cursor, sort) : null;
  const conditions = explorerConditions(workspaceId, request.filter);
  if (request.trackIds) {
    if (request.trackIds.length === 0) return { rows: [], nextCursor: null };
    conditions.push(inArray(tracks.id, [...request.trackIds]));
  }
  const key = sortKeyOf(sort.field);
  const dir = sql.raw(sort.dir);
  // One more than the page: whether there is a next page is known without asking again.
  const take = limit + 1;
  const parts = pageParts(sort, cursor).map(
    (part) => sql`(select ${pageColumns}, ${cursorValueSql(sort.field)} as "sortValue", ${key.expr} as "sortKey", (${key.expr} is null) as "sortNull"
      from ${tracks} where ${sql.join([...conditions, ...part.where], sql` and `)} order by ${sql.join(part.orderBy, sql`, `)} limit ${take})`,
  );
  const ordered = sql`order by ${page('sortNull')}, ${page('sortKey')} ${dir}, ${page('id')} ${dir}`;
  const picked = parts.length === 1 ? parts[0]! : sql`(select * from (${sql.join(parts, sql` union all `)}) page ${ordered} limit ${take})`;
  const [result] = await queryRows<{ page: PageRow[] | string }>(
    db,
    sql`with page as (select * from ${picked} page), page_playlists as (${playlistsOfPage}), page_tags as (${tagsOfPage})
      select coalesce(json_agg(json_build_object(${rowObject}) ${ordered}), '[]'::json) as "page"
      from page left join page_playlists on page_playlists."trackId" = page."id" left join page_tags on page_tags."trackId" = page."id"`,
  );
  const found = typeof result!.page === 'string' ? (JSON.parse(result!.page) as PageRow[]) : result!.page;
  const more = found.length > limit;
  const pageRows = more ? found.slice(0, limit) : found;
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(({ sortValue: _sortValue, ...row }) => row),
    nextCursor: more && last ? encodeCursor({ sort, value: last.sortValue, id: last.id }) : null,
  };
}

/** How many of the workspace's tracks match `filter`. */
export async function countExplorerTracks(db: Executor, workspaceId: string, filter: ExplorerFilter = {}): Promise<number> {
  const conditions: SQL[] = explorerConditions(workspaceId, filter);
  const [row] = await db
    .select({ count: count() })
    .from(tracks)
    .where(sql.join(conditions, sql` and `));
  return Number(row?.count ?? 0);
}

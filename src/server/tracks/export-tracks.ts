/**
 * The explorer's rows as CSV, for `GET /api/tracks/export`: the same filter, sort and keyset
 * pages as `tracks.explore`, written one page at a time, so memory stays flat however many
 * tracks match. UTF-8 with a BOM, spreadsheet-safe cells (csv/spreadsheet-safe.ts).
 */
import { csvLines, UTF8_BOM, type CsvCell } from '~/server/csv/spreadsheet-safe';
import type { Executor } from '~/server/db/database';
import type { ExplorerFilter, ExplorerSort } from './explorer-filter';
import { exploreTracks, type ExplorerRow } from './explorer-query';

/** Rows per query: past 2,000 a page is no faster (bench/explorer), only larger to hold. */
export const EXPORT_PAGE_SIZE = 2_000;

const columns: [header: string, cell: (row: ExplorerRow) => CsvCell][] = [
  ['Name', (row) => row.name],
  ['Artist', (row) => row.artist],
  ['Album', (row) => row.album],
  ['ISRC', (row) => row.isrc],
  ['Label', (row) => row.label],
  ['Release date', (row) => row.releaseDate],
  ['Popularity', (row) => row.popularity],
  ['Streams', (row) => row.streams],
  ['Playlist reach', (row) => row.playlistReach],
  ['Songwriters', (row) => row.songwriters?.join('; ')],
  ['Producers', (row) => row.producers?.join('; ')],
  ['Publisher status', (row) => row.publisherStatus],
  ['Enrichment status', (row) => row.enrichmentStatus],
  ['Enrichment error', (row) => row.enrichmentError],
  ['First seen', (row) => row.firstSeenAt],
  ['Enriched at', (row) => row.enrichedAt],
  ['Playlists', (row) => row.playlists.map((playlist) => playlist.name).join('; ')],
  ['Tags', (row) => row.tags.map((tag) => tag.name).join('; ')],
  ['Spotify ID', (row) => row.spotifyId],
  ['Spotify URL', (row) => `https://open.spotify.com/track/${row.spotifyId}`],
  ['Linernotes ID', (row) => row.id],
];

export const exportHeader = columns.map(([header]) => header);

export interface ExportRequest {
  filter?: ExplorerFilter;
  sort?: ExplorerSort;
}

/** The CSV in chunks: the BOM and header, then one chunk per page of rows. */
export async function* exportTracksCsv(db: Executor, workspaceId: string, request: ExportRequest, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<string> {
  yield UTF8_BOM + csvLines([exportHeader]);
  let cursor: string | null = null;
  do {
    const page = await exploreTracks(db, workspaceId, { ...request, cursor, limit: pageSize });
    if (page.rows.length > 0) yield csvLines(page.rows.map((row) => columns.map(([, cell]) => cell(row))));
    cursor = page.nextCursor;
  } while (cursor);
}

/** `linernotes-tracks-YYYY-MM-DD.csv`, the day in UTC. */
export function exportFilename(now = new Date()): string {
  return `linernotes-tracks-${now.toISOString().slice(0, 10)}.csv`;
}

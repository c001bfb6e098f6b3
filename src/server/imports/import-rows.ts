/**
 * Reads an import's rows from its CSV text as a stream (csv-parse), one validated row at a time:
 * the whole file is never parsed into memory, so a 100,000-row import costs one row at a time.
 * The same reading drives the pre-flight check at start, the import itself and a resume, so row
 * numbers are identical in all three.
 */
import { Readable } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { parsePlaylistRef } from '../playlists/playlist-ref';
import { detectDelimiter, layoutOf, type CsvLayout } from './csv-layout';
import { ImportError } from './import-error';

export interface ImportRow {
  /** 1 is the first data row (after the header, if any); empty lines are not counted. */
  rowNumber: number;
  /** The row's cells as url,name,tags[,extra...], as CSV text: what the error report shows and re-exports. */
  rawValue: string;
  url: string;
  name: string | undefined;
  tags: string[];
  /** The playlist's Spotify id, when the row is valid. */
  spotifyId: string | null;
  /** Why the row cannot be imported, when it cannot. */
  problem: string | null;
}

export interface ReadLimits {
  maxRecordBytes: number;
}

const rowSchema = z.object({
  url: z.string().min(1, 'the playlist URL, URI or id is empty').max(500, 'the playlist URL is longer than 500 characters'),
  name: z.string().max(200, 'the name is longer than 200 characters').optional(),
  tags: z.array(z.string().max(50, 'a tag is longer than 50 characters')).max(20, 'a row has more than 20 tags'),
});

const CHUNK_CHARS = 64 * 1024;

/** The text in slices, never splitting a surrogate pair, so the parser sees a stream. */
function* slices(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    yield text.slice(start, end);
    start = end;
  }
}

export async function* readImportRows(csv: string, limits: ReadLimits): AsyncGenerator<ImportRow, void, undefined> {
  for await (const { rowNumber, record, layout } of readRecords(csv, limits)) yield toRow(rowNumber, record, layout);
}

/** The data records, numbered, with the layout read off the first record. */
async function* readRecords(csv: string, limits: ReadLimits): AsyncGenerator<{ rowNumber: number; record: string[]; layout: CsvLayout }> {
  const delimiter = detectDelimiter(csv);
  const parser = Readable.from(slices(csv), { objectMode: false }).pipe(
    parse({
      bom: true,
      delimiter,
      trim: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: limits.maxRecordBytes,
    }),
  );
  let layout: CsvLayout | null = null;
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!layout) {
        layout = layoutOf(record, delimiter);
        if (layout.hasHeader) continue;
      }
      rowNumber++;
      yield { rowNumber, record, layout };
    }
  } catch (error) {
    throw error instanceof CsvError ? csvProblem(error, limits) : error;
  } finally {
    parser.destroy();
  }
}

function toRow(rowNumber: number, record: string[], layout: CsvLayout): ImportRow {
  const cell = (index: number | null) => (index === null ? '' : (record[index] ?? ''));
  const url = cell(layout.url);
  const name = cell(layout.name) || undefined;
  const tags = splitTags(cell(layout.tags));
  const extra = record.filter((_, i) => i !== layout.url && i !== layout.name && i !== layout.tags);
  const rawValue = stringify([[url, name ?? '', cell(layout.tags), ...(record.length > layout.maxCells ? extra : [])]]).trimEnd();
  const row = { rowNumber, rawValue, url, name, tags, spotifyId: null, problem: null };
  if (record.length > layout.maxCells) {
    return { ...row, problem: `the row has ${record.length} columns, the file ${layout.maxCells}: quote values that contain "${layout.delimiter === '\t' ? 'tab' : layout.delimiter}"` };
  }
  const parsed = rowSchema.safeParse({ url, name, tags });
  if (!parsed.success) return { ...row, problem: parsed.error.issues.map((issue) => issue.message).join('; ') };
  const spotifyId = parsePlaylistRef(url);
  if (!spotifyId) return { ...row, problem: `"${url}" is not a Spotify playlist URL, URI or id` };
  return { ...row, spotifyId };
}

/** Tags in one cell, separated by "|", ";" or "," (the cell is quoted when the delimiter is one of them). */
function splitTags(cell: string): string[] {
  const tags = cell
    .split(/[|;,]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
  return [...new Set(tags)];
}

function csvProblem(error: CsvError, limits: ReadLimits): ImportError {
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line ? ` (line ${line})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportError('UNCLOSED_QUOTE', `A quoted value is never closed${where}: add the missing " or remove the stray one.`);
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportError(
        'RECORD_TOO_LARGE',
        `A row is longer than ${Math.round(limits.maxRecordBytes / 1024)} KB${where}: check for a stray quote or a missing line break.`,
      );
    default:
      return new ImportError('MALFORMED_CSV', `The file is not valid CSV${where}: ${error.message}`);
  }
}

export interface CsvSummary {
  /** Data rows (the import's total). */
  rows: number;
}

/**
 * The pre-flight pass at start: the whole file parses, has at least one data row and at most
 * `maxRows`. Failing here refuses the import before anything is written, so there is never a
 * half-counted import of a broken file.
 */
export async function inspectCsv(csv: string, limits: ReadLimits & { maxRows: number }): Promise<CsvSummary> {
  let rows = 0;
  // Structure only: row contents are judged (and failed one by one) by the import itself.
  for await (const _record of readRecords(csv, limits)) {
    rows++;
    if (rows > limits.maxRows) {
      throw new ImportError(
        'TOO_MANY_ROWS',
        `The file has more than ${limits.maxRows.toLocaleString('en-US')} rows, the most one import takes: split it into smaller files.`,
      );
    }
  }
  if (rows === 0) throw new ImportError('HEADER_ONLY', 'The file has a header but no rows: add one playlist URL, URI or id per line.');
  return { rows };
}

/**
 * How an uploaded CSV is laid out: its delimiter, whether the first record is a header, and
 * which column holds the playlist, the name and the tags. A file without a header is read as
 * url[,name[,tags]] (a plain list of URLs is the common case).
 */
import { ImportError } from './import-error';

export type Delimiter = ',' | ';' | '\t';

export interface CsvLayout {
  delimiter: Delimiter;
  hasHeader: boolean;
  url: number;
  name: number | null;
  tags: number | null;
  /** The most cells a row may have: the header's width, or url,name,tags without one. */
  maxCells: number;
}

// Header names are compared lower-cased with spaces and dashes as underscores.
const urlHeaders = new Set(['url', 'uri', 'id', 'link', 'playlist', 'playlist_url', 'playlist_uri', 'playlist_id', 'playlist_link', 'spotify_url', 'spotify_uri', 'spotify_id', 'spotify_link']);
const nameHeaders = new Set(['name', 'title', 'playlist_name', 'playlist_title']);
const tagHeaders = new Set(['tags', 'tag', 'labels', 'genres']);

const normalise = (cell: string) => cell.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * The delimiter that splits the first line into the most cells (outside quotes). Playlist URLs
 * contain none of the three, so a one-column file has none and reads as comma-separated.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length && i < start + 64 * 1024; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  const best = (Object.keys(counts) as Delimiter[]).reduce((a, b) => (counts[b] > counts[a] ? b : a), ',');
  return best;
}

/** Reads the layout off the first record: a header if any cell is a column name we know. */
export function layoutOf(firstRecord: string[], delimiter: Delimiter): CsvLayout {
  const names = firstRecord.map(normalise);
  const hasHeader = names.some((name) => urlHeaders.has(name) || nameHeaders.has(name) || tagHeaders.has(name));
  if (!hasHeader) return { delimiter, hasHeader, url: 0, name: 1, tags: 2, maxCells: 3 };
  const url = names.findIndex((name) => urlHeaders.has(name));
  if (url < 0) {
    throw new ImportError(
      'NO_URL_COLUMN',
      `The header row (${firstRecord.join(', ')}) has no playlist column: name one column url, playlist, playlist_url, spotify_url or id.`,
    );
  }
  const index = (known: Set<string>) => {
    const found = names.findIndex((name, i) => i !== url && known.has(name));
    return found < 0 ? null : found;
  };
  return { delimiter, hasHeader, url, name: index(nameHeaders), tags: index(tagHeaders), maxCells: firstRecord.length };
}

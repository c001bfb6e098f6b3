/**
 * The explorer's page cursor: opaque to a client, it holds the sort it was made for, the last
 * row's sort value (as Postgres prints it, so a timestamp keeps its microseconds) and its id.
 *
 * The digest is for integrity, not secrecy: an edited or truncated cursor is refused with a
 * sentence instead of silently starting somewhere else. Someone who recomputes it only gets
 * another starting point in their own workspace's rows.
 */
import { createHash } from 'node:crypto';
import { ExplorerError } from './explorer-error';
import { explorerSortFields, type ExplorerSort, type ExplorerSortField } from './explorer-filter';

const VERSION = 1;
// Generous: a cursor carries a sort value (a name, a label) as long as the database holds it.
export const MAX_CURSOR_LENGTH = 64_000;
const ID = /^[A-Za-z0-9_-]{1,100}$/;

export interface ExplorerCursor {
  sort: ExplorerSort;
  /** The last row's sort value; null when it was one of the nulls (which sort last). */
  value: string | null;
  id: string;
}

function digest(payload: string): string {
  return createHash('sha256').update(`linernotes-explorer-cursor:${payload}`).digest('base64url').slice(0, 16);
}

export function encodeCursor(cursor: ExplorerCursor): string {
  const payload = Buffer.from(JSON.stringify([VERSION, cursor.sort.field, cursor.sort.dir, cursor.value, cursor.id])).toString('base64url');
  return `${payload}.${digest(payload)}`;
}

const refused = (why: string) =>
  new ExplorerError('BAD_CURSOR', `This cursor ${why}: send the nextCursor of the previous page unchanged, or leave it out to start from the first page.`);

/** The cursor a client sent back, checked against the sort it is now paging in. */
export function decodeCursor(text: string, sort: ExplorerSort): ExplorerCursor {
  if (text.length > MAX_CURSOR_LENGTH) throw refused('is longer than any this API makes');
  const dot = text.indexOf('.');
  const payload = text.slice(0, dot);
  if (dot <= 0 || text.slice(dot + 1) !== digest(payload)) throw refused('was changed or cut short');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused('is not one this API made');
  }
  if (!Array.isArray(parsed) || parsed.length !== 5 || parsed[0] !== VERSION) throw refused('is not one this API made');
  const [, field, dir, value, id] = parsed as unknown[];
  if (!explorerSortFields.includes(field as ExplorerSortField) || (dir !== 'asc' && dir !== 'desc')) throw refused('is not one this API made');
  if ((value !== null && typeof value !== 'string') || typeof id !== 'string' || !ID.test(id)) throw refused('is not one this API made');
  if (field !== sort.field || dir !== sort.dir) throw refused(`belongs to another sort order (${field} ${dir})`);
  return { sort, value, id };
}

/**
 * Input shapes shared by the routers, checked at the edge so that nothing a database cannot store
 * or a query cannot use gets past a procedure's input: ids have an id's characters, cursors parse,
 * and no text carries NUL or a lone surrogate (Postgres refuses both, which used to surface as a
 * 500). Each refusal is a BAD_REQUEST with a sentence saying what to send instead.
 */
import { z } from 'zod';

/** Ours are UUIDs, Better Auth's 32 letters and digits: either way, these characters only. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an id: 1 to 100 letters, digits, "-" or "_"');

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where the text is not storable (NUL, or a lone UTF-16 surrogate), and what is wrong there; null when all of it is. */
export function unstorableText(value: unknown, path: string[] = [], skipFields: readonly string[] = []): { path: string; problem: string } | null {
  if (typeof value === 'string') {
    if (value.includes('\0')) return { path: path.join('.') || '(input)', problem: 'contains a NUL character' };
    if (LONE_SURROGATE.test(value)) return { path: path.join('.') || '(input)', problem: 'is not well-formed Unicode (a lone surrogate)' };
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableText(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (path.length === 0 && skipFields.includes(key)) continue;
      const found = unstorableText(key, path) ?? unstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** An activity page cursor: `createdAt|id` of the previous page's last row, as the API returned it. */
export const activityCursor = z
  .string()
  .max(200)
  .refine((cursor) => {
    const at = cursor.indexOf('|');
    return at > 0 && !Number.isNaN(Date.parse(cursor.slice(0, at))) && /^[A-Za-z0-9_-]{1,100}$/.test(cursor.slice(at + 1));
  }, 'must be a nextCursor this API returned');

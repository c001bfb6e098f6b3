/**
 * Input shapes shared by the routers, checked at the edge so that nothing a database cannot store
 * or a query cannot use gets past a procedure's input: ids have an id's characters, cursors parse,
 * and no text carries NUL or a lone surrogate (Postgres refuses both, which used to surface as a
 * 500). Each refusal is a BAD_REQUEST with a sentence saying what to send instead.
 */
import { z } from 'zod';

/** Ours are UUIDs, Better Auth's 32 letters and digits: either way, these characters only. */
export const id = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be an id: 1 to 100 letters, digits, "-" or "_"');

/** Deeper than any input of ours: a request nested further is refused, not walked (or parsed further). */
export const MAX_INPUT_DEPTH = 32;

/**
 * Where the input is not storable (NUL or a lone surrogate in a string or key, or nesting deeper
 * than MAX_INPUT_DEPTH), and what is wrong there; null when all of it is. Iterative, so no input
 * can exhaust the stack; top-level fields in `skipFields` are left to their procedure.
 */
export function unstorableText(input: unknown, skipFields: readonly string[] = []): { path: string; problem: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: '', depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return { path: path || '(input)', problem };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { path: path || '(input)', problem: `is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    const entries = Array.isArray(value) ? Array.from(value, (element, i) => [String(i), element] as const) : Object.entries(value);
    for (const [key, element] of entries) {
      if (depth === 0 && skipFields.includes(key)) continue;
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: path || '(input)', problem: `has a key that ${keyProblem}` };
      stack.push({ value: element, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return null;
}

function textProblem(text: string): string | null {
  if (text.includes('\0')) return 'contains a NUL character';
  if (!text.isWellFormed()) return 'is not well-formed Unicode (a lone surrogate)';
  return null;
}

/** An activity page cursor: `createdAt|id` of the previous page's last row, exactly as the API returned it. */
export const activityCursor = z
  .string()
  .max(200)
  .refine((cursor) => {
    const at = cursor.indexOf('|');
    const when = cursor.slice(0, at);
    // toISOString's own form, in years a timestamp column holds: anything else is not one of ours.
    return at > 0 && ISO_INSTANT.test(when) && !Number.isNaN(Date.parse(when)) && /^[A-Za-z0-9_-]{1,100}$/.test(cursor.slice(at + 1));
  }, 'must be a nextCursor this API returned');

const ISO_INSTANT = /^(19|20)\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A row number in a file: an int4 column, like every count we store. */
export const rowNumber = z.number().int().nonnegative().max(2_147_483_647, 'must be a row number this API returned');

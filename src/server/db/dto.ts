/**
 * Rows leave the server as JSON (no transformer on the wire): their dates become ISO strings, and
 * their workspace is left out (a caller only ever sees its own).
 */
export type Dto<T> = {
  [K in Exclude<keyof T, 'workspaceId'>]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export function toDto<T extends object>(row: T): Dto<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'workspaceId') continue;
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out as Dto<T>;
}

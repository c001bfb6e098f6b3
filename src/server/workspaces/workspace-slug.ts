/** A workspace's URL-safe, unique slug: its name in lower case and dashes, plus a random tail. */
import { randomBytes } from 'node:crypto';

export function newWorkspaceSlug(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'workspace'}-${randomBytes(4).toString('hex')}`;
}

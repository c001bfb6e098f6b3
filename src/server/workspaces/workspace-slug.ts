/**
 * A workspace's URL-safe, unique slug (Better Auth requires one): its name in lower case and
 * dashes, plus a random tail. Used on the server (a new account's workspace) and in the browser
 * (a workspace someone creates), so it needs nothing but the global `crypto`.
 */
export function newWorkspaceSlug(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'workspace'}-${crypto.randomUUID().slice(0, 8)}`;
}

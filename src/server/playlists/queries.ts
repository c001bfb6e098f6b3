import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { playlists } from '../db/schema';

export type PlaylistDto = ReturnType<typeof toDto<typeof playlists.$inferSelect>>;

export async function getPlaylist(db: Executor, workspaceId: string, playlistId: string): Promise<PlaylistDto | null> {
  const [row] = await db
    .select()
    .from(playlists)
    .where(and(eq(playlists.workspaceId, workspaceId), eq(playlists.id, playlistId)));
  return row ? toDto(row) : null;
}

/**
 * The workspace's playlists, oldest first: all of them, or a page of `limit` after the playlist
 * `after` (the last one of the previous page). A page keeps the answer small however many
 * playlists an import added: on the embedded database every row is decoded on the server's one
 * thread (10,000 full rows take a couple of hundred milliseconds).
 */
export async function listPlaylists(db: Executor, workspaceId: string, page: { limit?: number; after?: string } = {}): Promise<PlaylistDto[]> {
  const conditions = [eq(playlists.workspaceId, workspaceId)];
  if (page.after) {
    conditions.push(
      sql`(${playlists.createdAt}, ${playlists.id}) > (SELECT created_at, id FROM ${playlists} WHERE id = ${page.after} AND workspace_id = ${workspaceId})`,
    );
  }
  const query = db
    .select()
    .from(playlists)
    .where(and(...conditions))
    .orderBy(asc(playlists.createdAt), asc(playlists.id));
  const found = page.limit ? await query.limit(page.limit) : await query;
  return found.map(toDto);
}

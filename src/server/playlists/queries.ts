import { and, asc, eq } from 'drizzle-orm';
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

export async function listPlaylists(db: Executor, workspaceId: string): Promise<PlaylistDto[]> {
  const found = await db
    .select()
    .from(playlists)
    .where(eq(playlists.workspaceId, workspaceId))
    .orderBy(asc(playlists.createdAt), asc(playlists.id));
  return found.map(toDto);
}

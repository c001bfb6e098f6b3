import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/database';
import { toDto } from '../db/dto';
import { playlistTracks, tracks, type TrackStatus } from '../db/schema';

export type TrackDto = ReturnType<typeof toDto<typeof tracks.$inferSelect>> & { position?: number };

export async function getTrack(db: Executor, workspaceId: string, trackId: string): Promise<TrackDto | null> {
  const [row] = await db
    .select()
    .from(tracks)
    .where(and(eq(tracks.workspaceId, workspaceId), eq(tracks.id, trackId)));
  return row ? toDto(row) : null;
}

export async function listTracks(
  db: Executor,
  workspaceId: string,
  filter: { playlistId?: string; trackIds?: readonly string[]; status?: TrackStatus; limit?: number },
): Promise<TrackDto[]> {
  const conditions: (SQL | undefined)[] = [eq(tracks.workspaceId, workspaceId)];
  if (filter.trackIds) conditions.push(inArray(tracks.id, [...filter.trackIds]));
  if (filter.status) conditions.push(eq(tracks.enrichmentStatus, filter.status));
  const limit = filter.limit ?? 10_000;
  if (filter.playlistId) {
    const found = await db
      .select({ track: tracks, position: playlistTracks.position })
      .from(playlistTracks)
      .innerJoin(tracks, eq(tracks.id, playlistTracks.trackId))
      .where(and(eq(playlistTracks.playlistId, filter.playlistId), ...conditions))
      .orderBy(asc(playlistTracks.position))
      .limit(limit);
    return found.map((row) => ({ ...toDto(row.track), position: row.position }));
  }
  const found = await db.select().from(tracks).where(and(...conditions)).orderBy(asc(tracks.createdAt), asc(tracks.id)).limit(limit);
  return found.map(toDto);
}

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '../inputs';
import { playlistHistory } from '~/server/history/playlist-history';
import { addPlaylist } from '../../playlists/add-playlist';
import { PlaylistError, PlaylistMissingError } from '../../playlists/playlist-error';
import { getPlaylist, listPlaylists } from '../../playlists/queries';
import { refreshPlaylist } from '../../playlists/refresh-playlist';
import { removePlaylist } from '../../playlists/remove-playlist';
import { found, memberProcedure, protectedProcedure, router } from '../trpc';


/** Playlist domain errors as transport errors: the code a client branches on, the domain's sentence. */
function asTRPCError(error: unknown): never {
  if (error instanceof PlaylistMissingError) throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
  if (error instanceof PlaylistError) {
    const code = error.code === 'INVALID_PLAYLIST_REF' ? 'BAD_REQUEST' : error.code === 'PLAYLIST_NOT_FOUND' ? 'NOT_FOUND' : error.code === 'PLAYLIST_RESTRICTED' ? 'FORBIDDEN' : 'BAD_GATEWAY';
    throw new TRPCError({ code, message: error.message, cause: error });
  }
  throw error;
}

export const playlistsRouter = router({
  /** Every playlist, oldest first; or a page: `limit` of them after the playlist `after` (the previous page's last id). */
  list: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).optional(), after: id.optional() }).strict().optional())
    .query(({ ctx, input }) => listPlaylists(ctx.runtime.db, ctx.workspaceId, input ?? {})),
  get: protectedProcedure
    .input(z.object({ id }).strict())
    .query(async ({ ctx, input }) => found(await getPlaylist(ctx.runtime.db, ctx.workspaceId, input.id), `Playlist ${input.id}`)),
  /** Adds a playlist by Spotify link, URI or id; returns it (with its `id`) and the enrichment job queued for it. */
  add: memberProcedure
    .input(z.object({ url: z.string().min(1).max(2000), name: z.string().max(200).optional(), tags: z.array(z.string().max(50)).max(20).optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { playlist, created, jobId } = await addPlaylist(ctx.runtime, ctx.workspaceId, input).catch(asTRPCError);
      return { ...playlist, created, jobId };
    }),
  refresh: memberProcedure
    .input(z.object({ id }).strict())
    .mutation(async ({ ctx, input }) => {
      const { playlist, jobId } = await refreshPlaylist(ctx.runtime, ctx.workspaceId, input.id).catch(asTRPCError);
      return { ...playlist, jobId };
    }),
  remove: memberProcedure.input(z.object({ id }).strict()).mutation(({ ctx, input }) => removePlaylist(ctx.runtime, ctx.workspaceId, input.id).catch(asTRPCError)),
  /**
   * The weekly history (issue 14): tracks added and dropped per ISO week (Monday, UTC) over the
   * last `weeks` weeks, newest first and only weeks with a change, and the follower count over them.
   */
  history: protectedProcedure
    .input(z.object({ id, weeks: z.number().int().min(1).max(104).default(12) }).strict())
    .query(async ({ ctx, input }) => found(await playlistHistory(ctx.runtime.db, ctx.workspaceId, input.id, input.weeks), `Playlist ${input.id}`)),
});

import { z } from 'zod';
import { getPlaylist, listPlaylists } from '../../playlists/queries';
import { found, publicProcedure, router } from '../trpc';

export const playlistsRouter = router({
  list: publicProcedure.query(({ ctx }) => listPlaylists(ctx.runtime.db, ctx.workspaceId)),
  get: publicProcedure
    .input(z.object({ id: z.string().min(1) }).strict())
    .query(async ({ ctx, input }) => found(await getPlaylist(ctx.runtime.db, ctx.workspaceId, input.id), `Playlist ${input.id}`)),
});

import { z } from 'zod';
import { trackStatuses } from '../../db/schema';
import { getTrack, listTracks } from '../../tracks/queries';
import { found, publicProcedure, router } from '../trpc';

export const tracksRouter = router({
  list: publicProcedure
    .input(
      z
        .object({ playlistId: z.string().min(1).optional(), status: z.enum(trackStatuses).optional(), limit: z.number().int().min(1).max(10_000).optional() })
        .strict()
        .default({}),
    )
    .query(({ ctx, input }) => listTracks(ctx.runtime.db, ctx.workspaceId, input)),
  get: publicProcedure
    .input(z.object({ id: z.string().min(1) }).strict())
    .query(async ({ ctx, input }) => found(await getTrack(ctx.runtime.db, ctx.workspaceId, input.id), `Track ${input.id}`)),
});

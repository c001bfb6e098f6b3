import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '../inputs';
import { trackStatuses } from '../../db/schema';
import { getTrack, listTracks } from '../../tracks/queries';
import { reenrichTrack } from '../../tracks/reenrich-track';
import { TrackError } from '../../tracks/track-error';
import { found, memberProcedure, protectedProcedure, router } from '../trpc';

function asTRPCError(error: unknown): never {
  if (error instanceof TrackError) throw new TRPCError({ code: error.code === 'TRACK_NOT_FOUND' ? 'NOT_FOUND' : 'CONFLICT', message: error.message, cause: error });
  throw error;
}

export const tracksRouter = router({
  list: protectedProcedure
    .input(
      z
        .object({ playlistId: id.optional(), status: z.enum(trackStatuses).optional(), limit: z.number().int().min(1).max(10_000).optional() })
        .strict()
        .default({}),
    )
    .query(({ ctx, input }) => listTracks(ctx.runtime.db, ctx.workspaceId, input)),
  get: protectedProcedure
    .input(z.object({ id }).strict())
    .query(async ({ ctx, input }) => found(await getTrack(ctx.runtime.db, ctx.workspaceId, input.id), `Track ${input.id}`)),
  /** Queues a job that enriches this one track again (phases 1-3). */
  reenrich: memberProcedure
    .input(z.object({ id }).strict())
    .mutation(({ ctx, input }) => reenrichTrack(ctx.runtime, ctx.workspaceId, input.id).catch(asTRPCError)),
});

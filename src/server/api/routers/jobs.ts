import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { id } from '../inputs';
import { jobStatuses, playlists } from '../../db/schema';
import { cancelJob } from '../../jobs/cancel-job';
import { enqueueJob } from '../../jobs/enqueue-job';
import { JobError } from '../../jobs/job-error';
import { getJob, jobDto, listJobs } from '../../jobs/queries';
import { retryJob } from '../../jobs/retry-job';
import { found, memberProcedure, protectedProcedure, router } from '../trpc';


function asTRPCError(error: unknown): never {
  if (error instanceof JobError) {
    const code = error.code === 'JOB_NOT_FOUND' || error.code === 'PLAYLIST_NOT_FOUND' ? 'NOT_FOUND' : 'CONFLICT';
    throw new TRPCError({ code, message: error.message, cause: error });
  }
  throw error;
}

export const jobsRouter = router({
  list: protectedProcedure
    .input(
      z
        .object({ playlistId: id.optional(), statuses: z.array(z.enum(jobStatuses)).optional(), limit: z.number().int().min(1).max(500).optional() })
        .strict()
        .default({}),
    )
    .query(({ ctx, input }) => listJobs(ctx.runtime.db, ctx.workspaceId, input)),
  get: protectedProcedure
    .input(z.object({ id }).strict())
    .query(async ({ ctx, input }) => found(await getJob(ctx.runtime.db, ctx.workspaceId, input.id), `Job ${input.id}`)),
  /**
   * Queues enrichment of a playlist's tracks; while one is queued or running, returns that one
   * (created: false). A person asked for it, so it is `force`: it ignores TRACK_FRESHNESS_MS.
   */
  enqueue: memberProcedure
    .input(z.object({ playlistId: id, phases: z.array(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)])).min(1).max(4).optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { job, created } = await ctx.runtime.log
        .transaction(async (tx) => {
          const [playlist] = await tx.db
            .select({ id: playlists.id })
            .from(playlists)
            .where(and(eq(playlists.workspaceId, ctx.workspaceId), eq(playlists.id, input.playlistId)));
          if (!playlist) throw new JobError('PLAYLIST_NOT_FOUND', `Playlist ${input.playlistId} was not found in this workspace.`);
          return enqueueJob(tx, { workspaceId: ctx.workspaceId, playlistId: playlist.id, phases: input.phases, maxAttempts: ctx.runtime.config.JOB_MAX_ATTEMPTS, reason: 'requested', force: true });
        })
        .catch(asTRPCError);
      return { ...jobDto(job), created };
    }),
  cancel: memberProcedure.input(z.object({ id }).strict()).mutation(async ({ ctx, input }) => jobDto(await cancelJob(ctx.runtime, ctx.workspaceId, input.id).catch(asTRPCError))),
  retry: memberProcedure.input(z.object({ id }).strict()).mutation(async ({ ctx, input }) => jobDto(await retryJob(ctx.runtime, ctx.workspaceId, input.id).catch(asTRPCError))),
});

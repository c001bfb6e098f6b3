import { z } from 'zod';
import { jobStatuses } from '../../db/schema';
import { getJob, listJobs } from '../../jobs/queries';
import { found, publicProcedure, router } from '../trpc';

export const jobsRouter = router({
  list: publicProcedure
    .input(
      z
        .object({ playlistId: z.string().min(1).optional(), statuses: z.array(z.enum(jobStatuses)).optional(), limit: z.number().int().min(1).max(500).optional() })
        .strict()
        .default({}),
    )
    .query(({ ctx, input }) => listJobs(ctx.runtime.db, ctx.workspaceId, input)),
  get: publicProcedure
    .input(z.object({ id: z.string().min(1) }).strict())
    .query(async ({ ctx, input }) => found(await getJob(ctx.runtime.db, ctx.workspaceId, input.id), `Job ${input.id}`)),
});

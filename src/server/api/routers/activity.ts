import { z } from 'zod';
import { listActivity } from '../../activity/queries';
import { publicProcedure, router } from '../trpc';

export const activityRouter = router({
  list: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(200).nullish() }).strict().default({ limit: 50 }))
    .query(({ ctx, input }) => listActivity(ctx.runtime.db, ctx.workspaceId, input)),
});

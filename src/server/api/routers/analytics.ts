import { latestAnalytics } from '../../analytics/queries';
import { refreshAnalytics } from '../../analytics/refresh-analytics';
import { publicProcedure, router } from '../trpc';

export const analyticsRouter = router({
  get: publicProcedure.query(({ ctx }) => latestAnalytics(ctx.runtime.db, ctx.workspaceId)),
  /** Recomputes the dashboard numbers now (they also refresh on a timer and after each job). */
  refresh: publicProcedure.mutation(async ({ ctx }) => {
    await refreshAnalytics(ctx.runtime, ctx.workspaceId);
    return latestAnalytics(ctx.runtime.db, ctx.workspaceId);
  }),
});

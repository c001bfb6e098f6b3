import { latestAnalytics } from '../../analytics/queries';
import { refreshAnalytics } from '../../analytics/refresh-analytics';
import { memberProcedure, protectedProcedure, router } from '../trpc';

export const analyticsRouter = router({
  get: protectedProcedure.query(({ ctx }) => latestAnalytics(ctx.runtime.db, ctx.workspaceId)),
  /** Recomputes the dashboard numbers now (they also refresh on a timer and after each job). */
  refresh: memberProcedure.mutation(async ({ ctx }) => {
    await refreshAnalytics(ctx.runtime, ctx.workspaceId);
    return latestAnalytics(ctx.runtime.db, ctx.workspaceId);
  }),
});

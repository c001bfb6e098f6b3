import { latestAnalytics } from '../../analytics/queries';
import { publicProcedure, router } from '../trpc';

export const analyticsRouter = router({
  get: publicProcedure.query(({ ctx }) => latestAnalytics(ctx.runtime.db, ctx.workspaceId)),
});

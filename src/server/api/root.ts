/**
 * The API's table of contents: the five subscriptions at the root, one router per domain.
 */
import { activityRouter } from './routers/activity';
import { analyticsRouter } from './routers/analytics';
import { importsRouter } from './routers/imports';
import { jobsRouter } from './routers/jobs';
import { playlistsRouter } from './routers/playlists';
import { tracksRouter } from './routers/tracks';
import { subscriptions } from './subscriptions';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  ...subscriptions,
  playlists: playlistsRouter,
  tracks: tracksRouter,
  jobs: jobsRouter,
  imports: importsRouter,
  activity: activityRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

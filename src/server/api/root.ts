/**
 * The API's table of contents: the five subscriptions at the root, one router per domain. Every
 * procedure is behind the access boundary (./trpc.ts: protectedProcedure and the role builders).
 */
import { activityRouter } from './routers/activity';
import { analyticsRouter } from './routers/analytics';
import { apiKeysRouter } from './routers/api-keys';
import { contactsRouter } from './routers/contacts';
import { importsRouter } from './routers/imports';
import { jobsRouter } from './routers/jobs';
import { opsRouter } from './routers/ops';
import { playlistsRouter } from './routers/playlists';
import { songwritersRouter } from './routers/songwriters';
import { tagsRouter } from './routers/tags';
import { tracksRouter } from './routers/tracks';
import { viewsRouter } from './routers/views';
import { workspaceRouter } from './routers/workspace';
import { subscriptions } from './subscriptions';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  ...subscriptions,
  playlists: playlistsRouter,
  tracks: tracksRouter,
  tags: tagsRouter,
  views: viewsRouter,
  songwriters: songwritersRouter,
  contacts: contactsRouter,
  jobs: jobsRouter,
  imports: importsRouter,
  activity: activityRouter,
  analytics: analyticsRouter,
  workspace: workspaceRouter,
  apiKeys: apiKeysRouter,
  ops: opsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/**
 * The five subscriptions. Each one is parse input -> eventStream -> shaped messages; the stream
 * does snapshot/replay/live ordering and flow control (see ../events/delivery.ts), and is both an
 * async iterable (createCaller, tRPC's stock handlers) and what our transports deliver directly.
 */
import { z } from 'zod';
import { id } from './inputs';
import type { Envelope, EventType } from '../events/catalog';
import { EVENT_ID_PATTERN } from '../events/event-id';
import { eventStream } from '../events/stream';
import { listActivity } from '../activity/queries';
import { latestAnalytics } from '../analytics/queries';
import { getImport, listImports } from '../imports/queries';
import { jobsSnapshot } from '../jobs/queries';
import { getPlaylist, listPlaylists } from '../playlists/queries';
import { listTracks } from '../tracks/queries';
import { explorerFilter } from '~/server/tracks/explorer-filter';
import { protectedProcedure, type Context } from './trpc';

const lastEventId = z
  .string()
  .regex(EVENT_ID_PATTERN, 'lastEventId must be an id this API sent, like "abc123:42"')
  .nullish();

/** Inputs are strict: an unknown key is a BAD_REQUEST, not silently ignored. */
const input = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, lastEventId }).strict().default({} as never);

export const subscriptionTypes = {
  jobStatus: ['job_status_changed', 'enrichment_phase', 'batch_complete', 'chartmetric_progress'],
  trackStatus: ['track_status_changed', 'track_enriched'],
  activityFeed: ['activity_logged'],
  importProgress: ['bulk_import_progress', 'bulk_import_finished'],
  playlistUpdates: ['playlist_updated', 'playlist_error', 'metric_update', 'follower_count_changed', 'analytics_updated', 'playlist_tracks_changed'],
} as const satisfies Record<string, readonly EventType[]>;

// ---- Explorer (issue 14)
/**
 * What `trackExplorer` carries: every change that can alter an explorer row (status, enrichment,
 * tags and tag names, notes, playlist membership) and the caller's own saved views. Kept apart
 * from `subscriptionTypes`, whose five subscriptions each carry their types alone.
 */
export const trackExplorerTypes = [
  'track_status_changed',
  'track_enriched',
  'track_tags_changed',
  'tag_changed',
  'playlist_tracks_changed',
  'track_noted',
  'saved_view_changed',
] as const satisfies readonly EventType[];
// ---- end of explorer

/** What `leads` carries: songwriter scores and identity, contacts and their notes (issue 15). */
export const leadsTypes = ['songwriter_score_changed', 'songwriter_merged', 'contact_changed', 'contact_noted'] as const satisfies readonly EventType[];

function stream<T extends EventType, S>(
  ctx: Pick<Context, 'runtime' | 'grant' | 'congestion'> & { workspaceId: string },
  signal: AbortSignal | undefined,
  procedure: keyof typeof subscriptionTypes | 'trackExplorer' | 'leads',
  types: readonly T[],
  lastId: string | null | undefined,
  matches: (event: Envelope<T>) => boolean,
  snapshot: () => Promise<S>,
) {
  const { runtime } = ctx;
  return eventStream({
    log: runtime.log,
    hub: runtime.hub,
    flow: runtime.flow,
    workspaceId: ctx.workspaceId,
    types,
    label: procedure,
    matches,
    snapshot,
    lastEventId: lastId,
    signal,
    revoked: ctx.grant?.signal,
    congestion: ctx.congestion,
  });
}

export const subscriptions = {
  jobStatus: protectedProcedure
    .input(input({ jobId: id.optional(), playlistId: id.optional() }))
    .subscription(({ ctx, input, signal }) =>
      stream(
        ctx,
        signal,
        'jobStatus',
        subscriptionTypes.jobStatus,
        input.lastEventId,
        (event) =>
          (!input.jobId || event.keys.jobId === input.jobId) && (!input.playlistId || event.keys.playlistId === input.playlistId),
        async () => ({ jobs: await jobsSnapshot(ctx.runtime.db, ctx.workspaceId, input) }),
      ),
    ),

  trackStatus: protectedProcedure
    .input(input({ playlistId: id.optional(), trackIds: z.array(id).max(5000).optional() }))
    .subscription(({ ctx, input, signal }) => {
      const trackIds = input.trackIds ? new Set(input.trackIds) : null;
      return stream(
        ctx,
        signal,
        'trackStatus',
        subscriptionTypes.trackStatus,
        input.lastEventId,
        (event) =>
          (!input.playlistId || event.keys.playlistId === input.playlistId) &&
          (!trackIds || (event.keys.trackId !== undefined && trackIds.has(event.keys.trackId))),
        async () => ({
          tracks: await listTracks(ctx.runtime.db, ctx.workspaceId, {
            playlistId: input.playlistId,
            trackIds: input.trackIds,
            limit: 10_000,
          }),
        }),
      );
    }),

  activityFeed: protectedProcedure.input(input({})).subscription(({ ctx, input, signal }) =>
    stream(
      ctx,
      signal,
      'activityFeed',
        subscriptionTypes.activityFeed,
      input.lastEventId,
      () => true,
      async () => ({ activity: (await listActivity(ctx.runtime.db, ctx.workspaceId, { limit: 50 })).items }),
    ),
  ),

  importProgress: protectedProcedure.input(input({ importId: id.optional() })).subscription(({ ctx, input, signal }) =>
    stream(
      ctx,
      signal,
      'importProgress',
        subscriptionTypes.importProgress,
      input.lastEventId,
      (event) => !input.importId || event.keys.importId === input.importId,
      async () => ({
        imports: input.importId
          ? [await getImport(ctx.runtime.db, ctx.workspaceId, input.importId)].filter((row) => row !== null)
          : await listImports(ctx.runtime.db, ctx.workspaceId, 50),
      }),
    ),
  ),

  playlistUpdates: protectedProcedure.input(input({ playlistId: id.optional() })).subscription(({ ctx, input, signal }) =>
    stream(
      ctx,
      signal,
      'playlistUpdates',
        subscriptionTypes.playlistUpdates,
      input.lastEventId,
      // analytics_updated is workspace-wide: it reaches every playlistUpdates subscriber.
      (event) => !input.playlistId || event.type === 'analytics_updated' || event.keys.playlistId === input.playlistId,
      async () => ({
        playlists: input.playlistId
          ? [await getPlaylist(ctx.runtime.db, ctx.workspaceId, input.playlistId)].filter((row) => row !== null)
          : await listPlaylists(ctx.runtime.db, ctx.workspaceId),
        analytics: await latestAnalytics(ctx.runtime.db, ctx.workspaceId),
      }),
    ),
  ),

  // ---- Explorer (issue 14)
  /**
   * Changes to explorer rows. The page comes from `tracks.explore`, whose `position` is this
   * stream's `lastEventId`; without one, the snapshot is just `{ position }`. The client re-reads
   * the tracks an event names (`tracks.explore` with `trackIds`). Every event is forwarded, the
   * filter notwithstanding: a row that stays in view still shows its playlists and tags, so a
   * change to them is never irrelevant. Saved views reach their owner only.
   */
  trackExplorer: protectedProcedure.input(input({ filter: explorerFilter.optional() })).subscription(({ ctx, input, signal }) => {
    const userId = ctx.caller.userId;
    return stream(
      ctx,
      signal,
      'trackExplorer',
      trackExplorerTypes,
      input.lastEventId,
      (event) => event.type !== 'saved_view_changed' || (userId !== null && event.data.userId === userId),
      async () => ({ position: ctx.runtime.log.idOf(await ctx.runtime.log.positionFor(ctx.workspaceId)) }),
    );
  }),
  // ---- end of explorer

  /**
   * Songwriter and contact changes: the songwriters list, a songwriter's page, the contacts list
   * and board. Like `trackExplorer`, the page is read by queries and the snapshot is the position
   * to resume from (`{ position }`); a resync means re-read. With `songwriterId`, only that
   * songwriter's events (and merges or splits that involve them).
   */
  leads: protectedProcedure.input(input({ songwriterId: id.optional() })).subscription(({ ctx, input, signal }) =>
    stream(
      ctx,
      signal,
      'leads',
      leadsTypes,
      input.lastEventId,
      (event) =>
        !input.songwriterId ||
        event.keys.songwriterId === input.songwriterId ||
        (event.type === 'songwriter_merged' && event.data.otherIds.includes(input.songwriterId)),
      async () => ({ position: ctx.runtime.log.idOf(await ctx.runtime.log.positionFor(ctx.workspaceId)) }),
    ),
  ),
};

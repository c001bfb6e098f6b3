import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '../inputs';
import { trackStatuses } from '../../db/schema';
import { getTrack, listTracks } from '../../tracks/queries';
import { reenrichTrack } from '../../tracks/reenrich-track';
import { TrackError } from '../../tracks/track-error';
import { enrichmentPhases } from '~/server/events/catalog';
import { noteTrack } from '~/server/tracks/note-track';
import { reenrichTracks } from '~/server/tracks/reenrich-tracks';
import { trackDetail } from '~/server/tracks/track-detail';
import { found, memberProcedure, protectedProcedure, router } from '../trpc';
import { ExplorerError } from '~/server/tracks/explorer-error';
import { explorerFilter, explorerPageInput } from '~/server/tracks/explorer-filter';
import { countExplorerTracks, exploreTracks } from '~/server/tracks/explorer-query';

function asExplorerError(error: unknown): never {
  if (error instanceof ExplorerError) throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause: error });
  throw error;
}

function asTRPCError(error: unknown): never {
  if (error instanceof TrackError) throw new TRPCError({ code: error.code === 'TRACK_NOT_FOUND' ? 'NOT_FOUND' : 'CONFLICT', message: error.message, cause: error });
  throw error;
}

/** Enrichment phases to run; omitted means every phase. */
const phases = z
  .array(z.literal(enrichmentPhases, `phases are among ${enrichmentPhases.join(', ')}`))
  .min(1, 'Name at least one phase, or leave phases out for all of them')
  .max(enrichmentPhases.length);

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
  /** Queues a job that enriches this one track again (the phases asked for, or every phase). */
  reenrich: memberProcedure
    .input(z.object({ id, phases: phases.optional() }).strict())
    .mutation(({ ctx, input }) =>
      reenrichTrack(ctx.runtime, ctx.workspaceId, input.id, { phases: input.phases, by: ctx.caller.userId }).catch(asTRPCError),
    ),
  // ---- Workbench: detail, notes, re-enrich many (issue 14)
  /** The track in full, the playlists it is on, its tags, and its history newest first (200 at most). */
  detail: protectedProcedure
    .input(z.object({ id }).strict())
    .query(async ({ ctx, input }) => found(await trackDetail(ctx.runtime.db, ctx.workspaceId, input.id), `Track ${input.id}`)),
  /** A note in the track's history; returns the history item. */
  note: memberProcedure
    .input(z.object({ id, message: z.string().trim().min(1, 'Write something in the note').max(2000, 'Keep a note under 2,000 characters') }).strict())
    .mutation(({ ctx, input }) =>
      noteTrack(ctx.runtime, ctx.workspaceId, { trackId: input.id, message: input.message, by: ctx.caller.userId, byName: ctx.caller.userId ? ctx.caller.name : null }).catch(
        asTRPCError,
      ),
    ),
  /** One job (forced) over exactly these tracks; an id that is not a track here refuses the request. */
  reenrichMany: memberProcedure
    .input(z.object({ trackIds: z.array(id).min(1, 'Choose at least one track').max(5000, 'Re-enrich at most 5,000 tracks at a time'), phases: phases.optional() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { jobId } = await reenrichTracks(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError);
      return { jobId };
    }),
  // ---- end of workbench
  // ---- Explorer (issue 14)
  /**
   * A page of the tracks matching a filter, in a sort order (keyset: pass `nextCursor` back as
   * `cursor`). `position` is where to start `trackExplorer` from so no change falls between the
   * page and the stream.
   */
  explore: protectedProcedure.input(explorerPageInput).query(async ({ ctx, input }) => {
    // Read before the page: whatever commits while it is read is replayed after this position.
    const position = ctx.runtime.log.idOf(await ctx.runtime.log.positionFor(ctx.workspaceId));
    const page = await exploreTracks(ctx.runtime.db, ctx.workspaceId, input).catch(asExplorerError);
    return { rows: page.rows, nextCursor: page.nextCursor, position: position as string | null };
  }),
  /** How many tracks match the filter. */
  exploreCount: protectedProcedure
    .input(z.object({ filter: explorerFilter.optional() }).strict().default({}))
    .query(async ({ ctx, input }) => ({ count: await countExplorerTracks(ctx.runtime.db, ctx.workspaceId, input.filter).catch(asExplorerError) })),
  // ---- end of explorer
});

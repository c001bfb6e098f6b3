import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '~/server/api/inputs';
import { adminProcedure, found, memberProcedure, protectedProcedure, router } from '~/server/api/trpc';
import { songwriterAliasKinds } from '~/server/db/schema';
import { mergeSongwriters, splitSongwriter, undoIdentityOperation } from '~/server/songwriters/identity-ops';
import { songwritersListInput } from '~/server/songwriters/list-filter';
import { getSongwriter, listSongwriters } from '~/server/songwriters/queries';
import { rescoreWorkspace } from '~/server/songwriters/rescore';
import { SongwriterError, songwriterErrorStatus } from '~/server/songwriters/songwriter-error';

function asTRPCError(error: unknown): never {
  if (error instanceof SongwriterError) throw new TRPCError({ code: songwriterErrorStatus[error.code], message: error.message, cause: error });
  throw error;
}

const alias = z
  .object({
    kind: z.enum(songwriterAliasKinds, `an alias's kind is ${songwriterAliasKinds.join(' or ')}`),
    key: z.string().min(1, 'Send the alias key as the songwriter page lists it').max(500),
  })
  .strict();

export const songwritersRouter = router({
  /** A page of songwriters matching the filter, and how many match; merged records and records no track credits (and no contact holds) are left out. */
  list: protectedProcedure.input(songwritersListInput.default({})).query(({ ctx, input }) => listSongwriters(ctx.runtime.db, ctx.workspaceId, input)),
  /** The songwriter in full, or `{ id, mergedInto }` for a record merged into another. */
  get: protectedProcedure
    .input(z.object({ id }).strict())
    .query(async ({ ctx, input }) => found(await getSongwriter(ctx.runtime.db, ctx.workspaceId, input.id), `Songwriter ${input.id}`)),
  /** Merges the records `ids` into `intoId` (their aliases, credits, notes, and a contact if `intoId` has none). */
  merge: memberProcedure
    .input(z.object({ intoId: id, ids: z.array(id).min(1, 'Choose at least one record to merge').max(20, 'Merge at most 20 records at a time') }).strict())
    .mutation(({ ctx, input }) => mergeSongwriters(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Moves these aliases (and the credits made under them) off the record to a new one. */
  split: memberProcedure
    .input(z.object({ id, aliases: z.array(alias).min(1, 'Choose at least one alias to split off').max(200) }).strict())
    .mutation(({ ctx, input }) => splitSongwriter(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Undoes a merge or split; only the latest operation still in effect on its records can be. */
  undo: memberProcedure
    .input(z.object({ operationId: id }).strict())
    .mutation(({ ctx, input }) => undoIdentityOperation(ctx.runtime, ctx.workspaceId, { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Recomputes every songwriter's score (after the label list changed). */
  rescore: adminProcedure.input(z.object({}).strict().default({})).mutation(({ ctx }) => rescoreWorkspace(ctx.runtime, ctx.workspaceId)),
});

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '~/server/api/inputs';
import { memberProcedure, protectedProcedure, router } from '~/server/api/trpc';
import { createTag } from '~/server/tags/create-tag';
import { listTags } from '~/server/tags/queries';
import { removeTag } from '~/server/tags/remove-tag';
import { tagColors } from '~/server/tags/tag-colors';
import { TagError } from '~/server/tags/tag-error';
import { tagTracks } from '~/server/tags/tag-tracks';
import { updateTag } from '~/server/tags/update-tag';

function asTRPCError(error: unknown): never {
  if (error instanceof TagError) throw new TRPCError({ code: error.code === 'TAG_NAME_TAKEN' ? 'CONFLICT' : 'NOT_FOUND', message: error.message, cause: error });
  throw error;
}

const name = z.string().trim().min(1, 'Give the tag a name').max(40, 'Keep a tag name to 40 characters');
const color = z.enum(tagColors, `color must be one of ${tagColors.join(', ')}`);
const batch = z.object({ tagId: id, trackIds: z.array(id).min(1, 'Choose at least one track').max(5000, 'Tag at most 5,000 tracks at a time') }).strict();

export const tagsRouter = router({
  /** The workspace's tags by name, each with how many tracks carry it. */
  list: protectedProcedure.query(({ ctx }) => listTags(ctx.runtime.db, ctx.workspaceId)),
  create: memberProcedure
    .input(z.object({ name, color }).strict())
    .mutation(({ ctx, input }) => createTag(ctx.runtime, ctx.workspaceId, input).catch(asTRPCError)),
  /** Renames or recolours; a tag name is unique in the workspace whatever its case. */
  update: memberProcedure
    .input(
      z
        .object({ id, name: name.optional(), color: color.optional() })
        .strict()
        .refine((input) => input.name !== undefined || input.color !== undefined, 'Send a new name, a new color, or both'),
    )
    .mutation(({ ctx, input }) => updateTag(ctx.runtime, ctx.workspaceId, input.id, input).catch(asTRPCError)),
  /** Deletes the tag and untags every track that carried it. */
  remove: memberProcedure
    .input(z.object({ id }).strict())
    .mutation(({ ctx, input }) => removeTag(ctx.runtime, ctx.workspaceId, input.id, ctx.caller.userId).catch(asTRPCError)),
  /**
   * Tags the tracks; `changed` counts those newly tagged. An id that is not a track here refuses the
   * whole batch. (Not `apply`: tRPC reserves that name, as it does `call` and `then`.)
   */
  tagTracks: memberProcedure
    .input(batch)
    .mutation(({ ctx, input }) => tagTracks(ctx.runtime, ctx.workspaceId, 'tagged', { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
  /** Untags the tracks; `changed` counts those that carried the tag. */
  untagTracks: memberProcedure
    .input(batch)
    .mutation(({ ctx, input }) => tagTracks(ctx.runtime, ctx.workspaceId, 'untagged', { ...input, by: ctx.caller.userId }).catch(asTRPCError)),
});


import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '~/server/api/inputs';
import { protectedProcedure, router } from '~/server/api/trpc';
import { listSavedViews, removeView, saveView } from '~/server/views/saved-views';
import { ViewError } from '~/server/views/view-error';

function asTRPCError(error: unknown): never {
  if (error instanceof ViewError) throw new TRPCError({ code: error.code === 'VIEW_NOT_FOUND' ? 'NOT_FOUND' : 'FORBIDDEN', message: error.message, cause: error });
  throw error;
}

/**
 * A person's own saved explorer views. All protected (viewer and up): a view changes nothing in
 * the workspace, so a viewer may keep views too; nobody sees or removes another person's.
 */
export const viewsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listSavedViews(ctx.runtime.db, { workspaceId: ctx.workspaceId, userId: ctx.caller.userId })),
  /** Saving a name that exists overwrites that view's query. */
  save: protectedProcedure
    .input(
      z
        .object({
          name: z.string().trim().min(1, 'Give the view a name').max(60, 'Keep a view name to 60 characters'),
          query: z.string().max(4000, 'A view\'s query must be at most 4,000 characters'),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => saveView(ctx.runtime, { workspaceId: ctx.workspaceId, userId: ctx.caller.userId }, input).catch(asTRPCError)),
  remove: protectedProcedure
    .input(z.object({ id }).strict())
    .mutation(({ ctx, input }) => removeView(ctx.runtime, { workspaceId: ctx.workspaceId, userId: ctx.caller.userId }, input.id).catch(asTRPCError)),
});

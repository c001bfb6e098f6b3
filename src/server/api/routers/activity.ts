import { z } from 'zod';
import { activityCursor } from '../inputs';
import { addNote } from '../../activity/add-note';
import { listActivity } from '../../activity/queries';
import { toDto } from '../../db/dto';
import { memberProcedure, protectedProcedure, router } from '../trpc';

export const activityRouter = router({
  list: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50), cursor: activityCursor.nullish() }).strict().default({ limit: 50 }))
    .query(({ ctx, input }) => listActivity(ctx.runtime.db, ctx.workspaceId, input)),
  note: memberProcedure
    .input(z.object({ message: z.string().trim().min(1, 'Write something in the note').max(2000, 'Keep a note under 2,000 characters') }).strict())
    .mutation(async ({ ctx, input }) => toDto(await addNote(ctx.runtime, ctx.workspaceId, input.message))),
});

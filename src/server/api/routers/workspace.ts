import { eq } from 'drizzle-orm';
import { isOperator } from '../../auth/operator';
import { workspaces } from '../../db/schema';
import { found, protectedProcedure, router } from '../trpc';

/** The workspace the caller acts for. Members, invitations and switching go through Better Auth (/api/auth/organization/*). */
export const workspaceRouter = router({
  current: protectedProcedure.query(async ({ ctx }) => {
    const [workspace] = await ctx.runtime.db
      .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug })
      .from(workspaces)
      .where(eq(workspaces.id, ctx.workspaceId));
    return {
      workspace: found(workspace, 'The workspace'),
      role: ctx.role,
      caller: { kind: ctx.caller.kind, name: ctx.caller.name, userId: ctx.caller.userId },
      /** May open the ops page (process-wide figures). */
      operator: await isOperator(ctx.runtime.db, ctx.runtime.config, ctx.caller),
    };
  }),
});

import { z } from 'zod';
import { getImport, listImports } from '../../imports/queries';
import { found, publicProcedure, router } from '../trpc';

export const importsRouter = router({
  list: publicProcedure.query(({ ctx }) => listImports(ctx.runtime.db, ctx.workspaceId)),
  get: publicProcedure
    .input(z.object({ importId: z.string().min(1) }).strict())
    .query(async ({ ctx, input }) => found(await getImport(ctx.runtime.db, ctx.workspaceId, input.importId), `Import ${input.importId}`)),
});

import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id } from '../inputs';
import { ApiKeyError, createApiKey, listApiKeys, revokeApiKey } from '../../api-keys/api-keys';
import { apiKeyRoles, roleAtLeast } from '../../auth/roles';
import { adminProcedure, router } from '../trpc';

function asTRPCError(error: unknown): never {
  if (error instanceof ApiKeyError) throw new TRPCError({ code: error.code === 'API_KEY_NOT_FOUND' ? 'NOT_FOUND' : 'FORBIDDEN', message: error.message, cause: error });
  throw error;
}

/** The workspace's API keys; admins only. */
export const apiKeysRouter = router({
  list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.runtime, ctx.workspaceId)),
  /** Returns the key itself once; only its first characters are kept in a readable form. */
  create: adminProcedure
    .input(
      z
        .object({
          name: z.string().trim().min(1, 'Give the key a name, like "nightly import"').max(32, 'Keep a key name under 32 characters'),
          role: z.enum(apiKeyRoles),
          expiresInDays: z.number().int().min(1).max(365).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => {
      if (!roleAtLeast(ctx.role, input.role)) throw new TRPCError({ code: 'FORBIDDEN', message: `A ${ctx.role} cannot make a key with the ${input.role} role.` });
      return createApiKey(ctx.runtime, { ...input, workspaceId: ctx.workspaceId, userId: ctx.caller.userId, actor: ctx.caller.name }).catch(asTRPCError);
    }),
  revoke: adminProcedure
    .input(z.object({ id }).strict())
    .mutation(({ ctx, input }) => revokeApiKey(ctx.runtime, { workspaceId: ctx.workspaceId, actor: ctx.caller.name, id: input.id }).catch(asTRPCError)),
});

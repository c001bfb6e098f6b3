import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { id, rowNumber } from '../inputs';
import { cancelImport } from '../../imports/cancel-import';
import { ImportError, type ImportErrorCode } from '../../imports/import-error';
import { getImport, listImportErrors, listImports } from '../../imports/queries';
import { startImport } from '../../imports/start-import';
import { found, memberProcedure, protectedProcedure, router } from '../trpc';

const importId = id;

const trpcCodeOf: Record<ImportErrorCode, TRPCError['code']> = {
  EMPTY_FILE: 'BAD_REQUEST',
  HEADER_ONLY: 'BAD_REQUEST',
  NOT_TEXT: 'UNSUPPORTED_MEDIA_TYPE',
  FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  TOO_MANY_ROWS: 'PAYLOAD_TOO_LARGE',
  RECORD_TOO_LARGE: 'BAD_REQUEST',
  UNCLOSED_QUOTE: 'BAD_REQUEST',
  MALFORMED_CSV: 'BAD_REQUEST',
  NO_URL_COLUMN: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  ALREADY_FINISHED: 'CONFLICT',
};

/** The importer's domain errors as tRPC errors; the message is already one a person can act on. */
async function asTrpc<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImportError) throw new TRPCError({ code: trpcCodeOf[error.code], message: error.message, cause: error });
    throw error;
  }
}

export const importsRouter = router({
  list: protectedProcedure.query(({ ctx }) => listImports(ctx.runtime.db, ctx.workspaceId)),
  get: protectedProcedure
    .input(z.object({ importId }).strict())
    .query(async ({ ctx, input }) => found(await getImport(ctx.runtime.db, ctx.workspaceId, input.importId), `Import ${input.importId}`)),
  /** Checks and stores the CSV, then imports it in the background; follow it with importProgress. */
  start: memberProcedure
    .meta({ checksOwnText: ['csv'] })
    .input(z.object({ csv: z.string(), filename: z.string().max(255).nullish() }).strict())
    .mutation(({ ctx, input }) => asTrpc(() => startImport(ctx.runtime, ctx.workspaceId, input))),
  /** Failed rows in row order, a page at a time; pass nextCursor back as cursor. */
  errors: protectedProcedure
    .input(z.object({ importId, cursor: rowNumber.nullish(), limit: z.number().int().min(1).max(500).default(100) }).strict())
    .query(async ({ ctx, input }) => {
      found(await getImport(ctx.runtime.db, ctx.workspaceId, input.importId), `Import ${input.importId}`);
      return listImportErrors(ctx.runtime.db, ctx.workspaceId, input.importId, { cursor: input.cursor, limit: input.limit });
    }),
  cancel: memberProcedure
    .input(z.object({ importId }).strict())
    .mutation(({ ctx, input }) => asTrpc(() => cancelImport(ctx.runtime, ctx.workspaceId, input.importId))),
});

import { TRPCError } from '@trpc/server';
import { isOperator } from '../../auth/operator';
import { opsSamples } from '../../observability/ops-samples';
import { protectedProcedure, router } from '../trpc';

/** Process-wide figures for the people who run the deployment (auth/operator.ts); nobody else sees them. */
const operatorProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (!(await isOperator(ctx.runtime.db, ctx.runtime.config, ctx.caller))) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'The ops page is for the people who run this deployment (OPERATOR_EMAILS, or the first account).' });
  }
  return next();
});

export const opsRouter = router({
  /** A sample of the app server's figures every second, rates over the last second. */
  live: operatorProcedure.subscription(({ ctx, signal }) => {
    const figures = ctx.runtime.figures;
    if (!figures) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'No app server serves this runtime: there are no connection figures to show.' });
    return opsSamples(figures, 1_000, signal);
  }),
});

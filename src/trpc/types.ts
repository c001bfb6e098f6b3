/**
 * The API's input and output types, as a client sees them (after JSON). The UI takes its row
 * types from here, never from `~/server/**`, so it depends on what the API returns, not on how
 * the server stores it.
 */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '~/server/api/root';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

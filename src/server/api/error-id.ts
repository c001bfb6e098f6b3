/**
 * Errors no code of ours chose (a failed query, a bug) reach a caller as INTERNAL_SERVER_ERROR
 * with an id instead of their message; the log line has the same id and the whole error.
 */
import { randomBytes } from 'node:crypto';
import { TRPCError } from '@trpc/server';

const ids = new WeakMap<object, string>();

/** The error's id, minted on first ask, so the log and the response agree. */
export function errorIdOf(error: object): string {
  let id = ids.get(error);
  if (!id) {
    id = randomBytes(6).toString('base64url');
    ids.set(error, id);
  }
  return id;
}

/** True for an INTERNAL_SERVER_ERROR that wraps something thrown without a code (not a TRPCError we raised). */
export function isUnexpected(error: TRPCError): boolean {
  return error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof TRPCError) && error.cause !== undefined;
}

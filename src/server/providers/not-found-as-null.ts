import { ProviderError } from './types';

/** A provider's NOT_FOUND as null ("the provider does not know it"); every other error stays an error. */
export async function notFoundAsNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ProviderError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

'use client';
/**
 * After the credentials change (signed in, signed up, joined a workspace): open a new live
 * connection with the new cookie, fetch every query again, and go to the page the person was
 * after, all without reloading the page.
 */
import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { useLiveConnection } from '~/trpc/react';

/** `next` from the URL when it is a path of this app (never another site: `//host` or `https:`), else the dashboard. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export function useEnterApp(): (next?: string | null) => Promise<void> {
  const router = useRouter();
  const { reconnect } = useLiveConnection();
  return useCallback(
    async (next) => {
      await reconnect();
      router.replace(safeNextPath(next));
    },
    [reconnect, router],
  );
}

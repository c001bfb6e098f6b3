'use client';
/**
 * What a person sees when the server stops letting them in. No session (signed out elsewhere,
 * expired, a wiped database): to sign-in, coming back here afterwards. Lost access to the
 * workspace or the role a stream was opened with (removed, role lowered): a notice, then a new
 * live connection; removed from the workspace it was acting for, the session moves to another
 * workspace of theirs first.
 */
import { usePathname, useRouter } from 'next/navigation';
import { api, useAccessProblemHandler, useLiveConnection, type AccessProblem } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { ensureActiveWorkspace } from '../workspace/ensure-active-workspace';

const authPages = ['/sign-in', '/sign-up', '/invite/'];

export function AccessProblemWatcher() {
  const router = useRouter();
  const pathname = usePathname() ?? '/';
  const toast = useToast();
  const { reconnect } = useLiveConnection();
  const utils = api.useUtils();

  useAccessProblemHandler((problem: AccessProblem) => {
    if (authPages.some((page) => pathname.startsWith(page))) return;
    if (problem.code === 'UNAUTHORIZED') {
      const here = `${window.location.pathname}${window.location.search}`;
      router.replace(`/sign-in?next=${encodeURIComponent(here)}`);
      return;
    }
    void ensureActiveWorkspace()
      .catch(() => false)
      .then(async (hasOne) => {
        // With no workspace at all, the shell says so and offers to create one: nothing to reconnect to.
        if (!hasOne) return void utils.workspace.current.invalidate();
        toast({ tone: 'error', title: 'Your access to this workspace changed', body: problem.message });
        await reconnect();
      });
  });

  return null;
}

'use client';
/** Act for another workspace: make it the session's, then replace the live connection so it acts for it too. */
import { useCallback } from 'react';
import { authClient } from '~/trpc/auth-client';
import { useLiveConnection } from '~/trpc/react';
import { authErrorMessage } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';

export function useSwitchWorkspace(): (workspace: { id: string; name: string }) => Promise<boolean> {
  const { reconnect } = useLiveConnection();
  const toast = useToast();
  return useCallback(
    async (workspace) => {
      const result = await authClient.organization.setActive({ organizationId: workspace.id });
      if (result.error) {
        toast({ tone: 'error', title: `Could not switch to ${workspace.name}`, body: authErrorMessage(result.error) });
        return false;
      }
      await reconnect();
      toast({ tone: 'info', title: `Now working in ${workspace.name}` });
      return true;
    },
    [reconnect, toast],
  );
}

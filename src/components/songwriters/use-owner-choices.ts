'use client';
/**
 * Who may own a lead: the workspace's members, as the members page reads them (Better Auth's
 * organization endpoint; there is no tRPC procedure for it). Sorted by name.
 */
import { useMemo } from 'react';
import { useCurrentWorkspace, useWorkspaceDetails } from '../workspace/workspace-queries';

export interface OwnerChoice {
  id: string;
  name: string;
}

export function useOwnerChoices(): { owners: OwnerChoice[]; me: string | null; loading: boolean } {
  const current = useCurrentWorkspace();
  const details = useWorkspaceDetails(current.data?.workspace.id);
  const owners = useMemo(
    () =>
      (details.data?.members ?? [])
        .map((member) => ({ id: member.userId, name: member.user.name || member.user.email }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [details.data],
  );
  return { owners, me: current.data?.caller.userId ?? null, loading: details.isPending };
}

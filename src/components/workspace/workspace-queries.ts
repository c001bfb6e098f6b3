'use client';
/**
 * The workspace as the UI reads it: who is calling and with which role (tRPC `workspace.current`),
 * the person's workspaces, and the workspace's members and invitations (Better Auth's organization
 * endpoints). All of them are dropped and fetched again when the live connection is replaced.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { authClient } from '~/trpc/auth-client';
import { api } from '~/trpc/react';
import { unwrapAuth } from '../auth/auth-errors';

const keys = {
  all: ['auth'] as const,
  mine: ['auth', 'workspaces'] as const,
  details: (workspaceId: string) => ['auth', 'workspace', workspaceId] as const,
};

export function useCurrentWorkspace() {
  return api.workspace.current.useQuery(undefined, { staleTime: 30_000 });
}

/**
 * Whether the caller may change the workspace's data (member and up), and the sentence a disabled
 * control shows a viewer. The server refuses a viewer anyway; this spares them the try.
 */
export function useMayChange(): { mayChange: boolean; why: string | undefined } {
  const role = useCurrentWorkspace().data?.role;
  const mayChange = role !== 'viewer';
  return { mayChange, why: mayChange ? undefined : 'Viewers read and watch; ask an admin for the member role to change things.' };
}

export function useMyWorkspaces() {
  return useQuery({ queryKey: keys.mine, queryFn: () => unwrapAuth(authClient.organization.list()) });
}

export function useWorkspaceDetails(workspaceId: string | undefined) {
  return useQuery({
    queryKey: keys.details(workspaceId ?? ''),
    queryFn: () => unwrapAuth(authClient.organization.getFullOrganization({ query: { organizationId: workspaceId } })),
    enabled: Boolean(workspaceId),
  });
}

/** After a change through Better Auth (invite, role, rename): read the workspace again. */
export function useRefreshWorkspace(): () => Promise<void> {
  const queryClient = useQueryClient();
  const utils = api.useUtils();
  return useCallback(async () => {
    await Promise.all([queryClient.invalidateQueries({ queryKey: keys.all }), utils.workspace.current.invalidate()]);
  }, [queryClient, utils]);
}

/** A workspace with its members (and their accounts) and invitations, as Better Auth returns it. */
export type WorkspaceDetails = NonNullable<Awaited<ReturnType<typeof authClient.organization.getFullOrganization>>['data']>;
export type WorkspaceMember = WorkspaceDetails['members'][number];
export type WorkspaceInvitation = WorkspaceDetails['invitations'][number];

/**
 * After leaving, deleting or being removed from the session's workspace: make the session act
 * for the first workspace the person still belongs to. False when they belong to none.
 */
import { authClient } from '~/trpc/auth-client';

export async function ensureActiveWorkspace(): Promise<boolean> {
  const [session, workspaces] = await Promise.all([authClient.getSession(), authClient.organization.list()]);
  const active = session.data?.session.activeOrganizationId ?? null;
  const mine = workspaces.data ?? [];
  if (mine.length > 0 && !mine.some((workspace) => workspace.id === active)) {
    await authClient.organization.setActive({ organizationId: mine[0]!.id });
  }
  return mine.length > 0;
}

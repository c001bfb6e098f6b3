'use client';
/**
 * The Members page: the workspace's name, its members and roles, invitations, and deleting it.
 * What each person may change follows their role. It reads again whenever the activity feed
 * reports a membership change (someone joined, left, changed role), so it stays current.
 */
import { useEffect, useRef } from 'react';
import { useLiveData } from '../live/live-data-provider';
import { Card, PageHeader } from '../ui/card';
import { useCurrentWorkspace, useRefreshWorkspace, useWorkspaceDetails } from '../workspace/workspace-queries';
import { isWorkspaceRole, roleMay } from '../workspace/workspace-roles';
import { DeleteWorkspace } from './delete-workspace';
import { InviteForm } from './invite-form';
import { MemberList } from './member-list';
import { PendingInvitations } from './pending-invitations';
import { WorkspaceNameForm } from './workspace-name-form';

function useRefreshOnMembershipActivity() {
  const { activity, loaded } = useLiveData();
  const refresh = useRefreshWorkspace();
  const latest = loaded.activity ? (activity.rows.find((row) => row.kind === 'member')?.id ?? 'none') : null;
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (latest === null) return;
    // The first value is what the page was loaded with; only later ones are news.
    if (seen.current !== null && seen.current !== latest) void refresh();
    seen.current = latest;
  }, [latest, refresh]);
}

export function MembersPage() {
  const current = useCurrentWorkspace();
  const details = useWorkspaceDetails(current.data?.workspace.id);
  useRefreshOnMembershipActivity();

  const header = <PageHeader title="Members" description="Who can see and change this workspace, and who is invited." />;
  if (current.error || details.error) {
    return (
      <>
        {header}
        <p role="alert" className="text-sm text-rose-700">{(current.error ?? details.error)!.message}</p>
      </>
    );
  }
  if (!current.data || !details.data) {
    return (
      <>
        {header}
        <p className="text-sm text-zinc-500">Loading members…</p>
      </>
    );
  }
  const role = current.data.role;
  const workspace = details.data;
  if (!isWorkspaceRole(role)) return header;
  const mayInvite = roleMay(role, { invitation: ['create'] });
  const viewer = { userId: current.data.caller.userId, role };

  return (
    <>
      {header}
      <div className="space-y-6">
        <WorkspaceNameForm key={workspace.id} workspace={workspace} role={role} />
        <MemberList workspace={workspace} members={workspace.members} viewer={viewer} />
        <Card title="Invitations" labelledBy="invitations-title">
          <div className="space-y-6">
            {mayInvite ? (
              <InviteForm workspaceId={workspace.id} viewerRole={role} />
            ) : (
              <p className="text-sm text-zinc-500">Only admins and owners can invite people; you are a {role}.</p>
            )}
            <PendingInvitations invitations={workspace.invitations} showLinks={mayInvite} mayCancel={roleMay(role, { invitation: ['cancel'] })} />
          </div>
        </Card>
        <DeleteWorkspace workspace={workspace} role={role} />
      </div>
    </>
  );
}

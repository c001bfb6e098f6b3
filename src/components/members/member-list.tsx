'use client';
/**
 * The workspace's members and their roles. Admins and owners change roles and remove members;
 * anyone may leave (but the only owner). A control the caller's role may not use is not offered,
 * or is disabled with the reason beside it.
 */
import { useRouter } from 'next/navigation';
import { useId, useState, type ReactNode } from 'react';
import { authClient } from '~/trpc/auth-client';
import { useLiveConnection } from '~/trpc/react';
import { authErrorMessage, type AuthFailure } from '../auth/auth-errors';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { formatDateTime } from '../ui/number-format';
import { ensureActiveWorkspace } from '../workspace/ensure-active-workspace';
import { useRefreshWorkspace, type WorkspaceMember } from '../workspace/workspace-queries';
import { assignableRoles, isWorkspaceRole, roleDescriptions, roleMay, type WorkspaceRole } from '../workspace/workspace-roles';

interface Viewer {
  userId: string | null;
  role: WorkspaceRole;
}

function Reason({ id, children }: { id: string; children: string }) {
  return (
    <p id={id} className="mt-1 max-w-56 text-xs text-zinc-500">
      {children}
    </p>
  );
}

export function MemberList({ workspace, members, viewer }: { workspace: { id: string; name: string }; members: WorkspaceMember[]; viewer: Viewer }) {
  const mayManage = roleMay(viewer.role, { member: ['update', 'delete'] });
  const owners = members.filter((member) => member.role === 'owner').length;
  const sorted = [...members].sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  return (
    <Card title={`Members (${members.length})`} labelledBy="members-title">
      {!mayManage ? (
        <p className="mb-3 text-sm text-zinc-500">You are a {viewer.role}: only admins and owners change roles, remove members and invite people.</p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full min-w-[560px] text-left text-sm">
          <caption className="sr-only">Members of {workspace.name}</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Member</th>
              <th scope="col" className="py-2 pr-4 font-medium">Role</th>
              <th scope="col" className="py-2 pr-4 font-medium">Joined</th>
              <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {sorted.map((member) => (
              <MemberRow key={member.id} workspace={workspace} member={member} viewer={viewer} onlyOwner={member.role === 'owner' && owners <= 1} />
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function MemberRow({ workspace, member, viewer, onlyOwner }: { workspace: { id: string; name: string }; member: WorkspaceMember; viewer: Viewer; onlyOwner: boolean }) {
  const reasonId = useId();
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const refresh = useRefreshWorkspace();
  const { reconnect } = useLiveConnection();
  const router = useRouter();
  const isMe = member.userId === viewer.userId;
  const role = member.role;
  const theirs = isWorkspaceRole(role) ? role : null;
  const name = member.user.name || member.user.email;

  const mayUpdate = roleMay(viewer.role, { member: ['update'] });
  const mayRemove = roleMay(viewer.role, { member: ['delete'] });
  const ownerOnly = theirs === 'owner' && viewer.role !== 'owner';
  const roleLocked = ownerOnly ? 'Only an owner can change an owner’s role.' : isMe && onlyOwner ? 'You are the only owner: make someone else owner first.' : null;

  const run = async (work: () => Promise<{ error: AuthFailure | null }>, success: string) => {
    setBusy(true);
    try {
      const { error } = await work();
      if (error) {
        toast({ tone: 'error', title: 'That did not work', body: authErrorMessage(error) });
        return false;
      }
      toast({ tone: 'success', title: success });
      await refresh();
      return true;
    } finally {
      setBusy(false);
    }
  };

  const changeRole = (next: string) =>
    run(() => authClient.organization.updateMemberRole({ organizationId: workspace.id, memberId: member.id, role: next as WorkspaceRole }), `${name} is now ${next}`);

  const remove = () => {
    if (!window.confirm(`Remove ${name} from ${workspace.name}? Their open pages stop updating at once.`)) return;
    void run(() => authClient.organization.removeMember({ organizationId: workspace.id, memberIdOrEmail: member.id }), `${name} was removed`);
  };

  const leave = async () => {
    if (!window.confirm(`Leave ${workspace.name}? You will need a new invitation to come back.`)) return;
    if (await run(() => authClient.organization.leave({ organizationId: workspace.id }), `You left ${workspace.name}`)) {
      await ensureActiveWorkspace().catch(() => false);
      await reconnect();
      router.push('/');
    }
  };

  let roleCell: ReactNode = <span className="font-medium text-zinc-800" data-testid="member-role">{role}</span>;
  if (mayUpdate && roleLocked) {
    roleCell = (
      <>
        <span className="font-medium text-zinc-800" data-testid="member-role">{role}</span>
        <Reason id={reasonId}>{roleLocked}</Reason>
      </>
    );
  } else if (mayUpdate && theirs) {
    const options = assignableRoles(viewer.role);
    roleCell = (
      <>
        <label className="sr-only" htmlFor={`${reasonId}-role`}>Role of {name}</label>
        <select
          id={`${reasonId}-role`}
          value={theirs}
          disabled={busy}
          data-testid="member-role-select"
          onChange={(event) => void changeRole(event.target.value)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        >
          {options.map((option) => (
            <option key={option} value={option} title={roleDescriptions[option]}>
              {option}
            </option>
          ))}
        </select>
      </>
    );
  }

  let action: ReactNode = null;
  if (isMe) {
    action = onlyOwner ? (
      <>
        <Button variant="danger" disabled aria-describedby={`${reasonId}-leave`}>Leave workspace</Button>
        <Reason id={`${reasonId}-leave`}>You are the only owner: make someone else owner first, or delete the workspace.</Reason>
      </>
    ) : (
      <Button variant="danger" disabled={busy} onClick={leave}>Leave workspace</Button>
    );
  } else if (mayRemove && ownerOnly) {
    action = (
      <>
        <Button variant="danger" disabled aria-describedby={`${reasonId}-remove`} aria-label={`Remove ${name}`}>Remove</Button>
        <Reason id={`${reasonId}-remove`}>Only an owner can remove an owner.</Reason>
      </>
    );
  } else if (mayRemove) {
    action = (
      <Button variant="danger" disabled={busy} onClick={remove} aria-label={`Remove ${name}`}>
        Remove
      </Button>
    );
  }

  return (
    <tr data-testid="member-row" data-email={member.user.email} className="align-top">
      <td className="py-3 pr-4">
        <p className="font-medium text-zinc-900">
          {name}
          {isMe ? <span className="ml-1.5 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-normal text-zinc-600">you</span> : null}
        </p>
        <p className="text-xs text-zinc-500">{member.user.email}</p>
      </td>
      <td className="py-3 pr-4">{roleCell}</td>
      <td className="py-3 pr-4 text-zinc-600">{formatDateTime(new Date(member.createdAt).toISOString())}</td>
      <td className="py-3 text-right">{action}</td>
    </tr>
  );
}

'use client';
/** Shown instead of a page when the person belongs to no workspace (they left or were removed from their last one). */
import { Card } from '../ui/card';
import { CreateWorkspaceForm } from '../workspace/create-workspace-form';

export function NoWorkspace({ message }: { message: string }) {
  return (
    <div className="mx-auto max-w-md">
      <Card title="You are not in any workspace" labelledBy="no-workspace-title">
        <p className="mb-4 text-sm text-zinc-600">{message}</p>
        <CreateWorkspaceForm />
      </Card>
    </div>
  );
}

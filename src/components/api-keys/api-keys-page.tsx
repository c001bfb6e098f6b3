'use client';
/** The API keys page (admins): the workspace's keys, making one (its secret shown once), revoking one. */
import { useState } from 'react';
import { api } from '~/trpc/react';
import { Card, PageHeader } from '../ui/card';
import { useCurrentWorkspace } from '../workspace/workspace-queries';
import { isWorkspaceRole, roleAtLeast } from '../workspace/workspace-roles';
import { ApiKeyList } from './api-key-list';
import { CreateApiKeyForm, type CreatedApiKey } from './create-api-key-form';
import { NewApiKeyNotice } from './new-api-key-notice';

export function ApiKeysPage() {
  const current = useCurrentWorkspace();
  const role = current.data?.role;
  const isAdmin = isWorkspaceRole(role) && roleAtLeast(role, 'admin');
  const keys = api.apiKeys.list.useQuery(undefined, { enabled: isAdmin });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const header = <PageHeader title="API keys" description="For scripts and integrations: a key acts for this workspace with the role it was given." />;
  if (!current.data) return header;
  if (!isAdmin) {
    return (
      <>
        {header}
        <p className="rounded-lg border border-zinc-200 bg-white px-4 py-6 text-sm text-zinc-600">Only admins and owners manage API keys; you are a {role}. Ask one of them for a key.</p>
      </>
    );
  }
  return (
    <>
      {header}
      <div className="space-y-6">
        <Card title="New key" labelledBy="new-key-title">
          <div className="space-y-4">
            {created ? <NewApiKeyNotice created={created} onDone={() => setCreated(null)} /> : null}
            <CreateApiKeyForm viewerRole={role} onCreated={setCreated} />
          </div>
        </Card>
        <Card title="Keys" labelledBy="keys-title">
          {keys.error ? <p role="alert" className="text-sm text-rose-700">{keys.error.message}</p> : keys.data ? <ApiKeyList keys={keys.data} /> : <p className="text-sm text-zinc-500">Loading keys…</p>}
        </Card>
      </div>
    </>
  );
}

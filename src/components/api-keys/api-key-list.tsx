'use client';
/** The workspace's API keys, without their secrets; revoking one ends the streams that use it within seconds. */
import { api, type RouterOutputs } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { EmptyState } from '../ui/card';
import { formatDateTime } from '../ui/number-format';

type ApiKeyRow = RouterOutputs['apiKeys']['list'][number];

export function ApiKeyList({ keys }: { keys: ApiKeyRow[] }) {
  if (keys.length === 0) return <EmptyState>No API keys yet. Make one for a script or an integration above.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[720px] text-left text-sm">
        <caption className="sr-only">API keys of this workspace</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Name</th>
            <th scope="col" className="py-2 pr-4 font-medium">Role</th>
            <th scope="col" className="py-2 pr-4 font-medium">Key</th>
            <th scope="col" className="py-2 pr-4 font-medium">Created</th>
            <th scope="col" className="py-2 pr-4 font-medium">Last used</th>
            <th scope="col" className="py-2 pr-4 font-medium">Expires</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.map((key) => (
            <ApiKeyListRow key={key.id} apiKey={key} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ApiKeyListRow({ apiKey }: { apiKey: ApiKeyRow }) {
  const utils = api.useUtils();
  const revoke = api.apiKeys.revoke.useMutation();
  const toast = useToast();
  const name = apiKey.name ?? apiKey.start ?? apiKey.id;
  const onRevoke = () => {
    if (!window.confirm(`Revoke the API key “${name}”? Scripts using it stop working at once.`)) return;
    revoke.mutate(
      { id: apiKey.id },
      {
        onSuccess: () => {
          toast({ tone: 'info', title: `Revoked “${name}”` });
          void utils.apiKeys.list.invalidate();
        },
        onError: (error) => toast({ tone: 'error', title: `Could not revoke “${name}”`, body: error.message }),
      },
    );
  };
  return (
    <tr data-testid="api-key-row" data-key-id={apiKey.id}>
      <td className="py-3 pr-4 font-medium text-zinc-900">{apiKey.name ?? '—'}</td>
      <td className="py-3 pr-4">{apiKey.role}</td>
      <td className="py-3 pr-4 font-mono text-xs text-zinc-600">{apiKey.start ? `${apiKey.start}…` : '—'}</td>
      <td className="py-3 pr-4 text-zinc-600">{formatDateTime(apiKey.createdAt)}</td>
      <td className="py-3 pr-4 text-zinc-600">{apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : 'never'}</td>
      <td className="py-3 pr-4 text-zinc-600">{apiKey.expiresAt ? formatDateTime(apiKey.expiresAt) : 'never'}</td>
      <td className="py-3 text-right">
        <Button variant="danger" disabled={revoke.isPending} onClick={onRevoke} aria-label={`Revoke ${name}`}>
          Revoke
        </Button>
      </td>
    </tr>
  );
}

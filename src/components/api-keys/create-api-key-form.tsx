'use client';
/** A new API key: a name, the role it acts with, and an optional expiry. The secret comes back once. */
import { useState, type FormEvent } from 'react';
import { api, type RouterOutputs } from '~/trpc/react';
import { Button } from '../ui/button';
import { FormError } from '../ui/form-error';
import { SelectField } from '../ui/select-field';
import { TextField } from '../ui/text-field';
import { roleAtLeast, roleDescriptions, type WorkspaceRole } from '../workspace/workspace-roles';

export type CreatedApiKey = RouterOutputs['apiKeys']['create'];

const keyRoles = ['viewer', 'member', 'admin'] as const;
const expiries = [
  { value: '', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
] as const;

export function CreateApiKeyForm({ viewerRole, onCreated }: { viewerRole: WorkspaceRole; onCreated: (key: CreatedApiKey) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<(typeof keyRoles)[number]>('viewer');
  const [expiresIn, setExpiresIn] = useState('');
  const [error, setError] = useState<string | null>(null);
  const utils = api.useUtils();
  const create = api.apiKeys.create.useMutation();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    create.mutate(
      { name: name.trim(), role, expiresInDays: expiresIn ? Number(expiresIn) : undefined },
      {
        onSuccess: (key) => {
          setName('');
          onCreated(key);
          void utils.apiKeys.list.invalidate();
        },
        onError: (cause) => setError(cause.message),
      },
    );
  };

  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Create an API key">
      <TextField label="Key name" className="min-w-48 flex-1" required maxLength={32} placeholder="e.g. nightly import" value={name} onChange={(event) => setName(event.target.value)} />
      <SelectField
        label="Key role"
        className="w-36"
        value={role}
        onChange={(event) => setRole(event.target.value as (typeof keyRoles)[number])}
        options={keyRoles.filter((option) => roleAtLeast(viewerRole, option)).map((option) => ({ value: option, label: option }))}
      />
      <SelectField label="Expires" className="w-36" value={expiresIn} onChange={(event) => setExpiresIn(event.target.value)} options={expiries} />
      <Button type="submit" variant="primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create API key'}
      </Button>
      <p className="w-full text-xs text-zinc-500">{roleDescriptions[role]}. A key acts for this workspace, not for you.</p>
      <div className="w-full">
        <FormError message={error} testId="api-key-error" />
      </div>
    </form>
  );
}

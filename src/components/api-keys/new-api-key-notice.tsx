'use client';
/** The secret of a key just made: shown this once, with a copy button and a warning that says so. */
import { Button } from '../ui/button';
import { CopyField } from '../ui/copy-field';
import type { CreatedApiKey } from './create-api-key-form';

export function NewApiKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <div role="region" aria-label="Your new API key" className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="new-api-key">
      <p className="text-sm font-semibold text-amber-950">Copy the key “{created.name ?? created.id}” now</p>
      <p className="mt-1 mb-3 text-sm text-amber-900">
        It will not be shown again: only its first characters are kept. If you lose it, revoke it and make another. Scripts send it as{' '}
        <code className="font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <CopyField label="New API key" value={created.key} testId="new-api-key-value" />
      <Button className="mt-3" onClick={onDone}>
        I have copied it
      </Button>
    </div>
  );
}

'use client';
/** A read-only value (a link, a key) with a button that copies it; selecting the field works too. */
import { useId, useRef, useState } from 'react';
import { Button } from './button';

async function copyText(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin, a browser that refuses): copy the selection instead.
    field?.select();
    return document.execCommand('copy');
  }
}

export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    setResult((await copyText(value, field.current)) ? 'copied' : 'failed');
    setTimeout(() => setResult(null), 2_500);
  };
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input
          ref={field}
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(event) => event.target.select()}
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2.5 py-1.5 font-mono text-xs text-zinc-800 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
        <Button aria-label={`Copy ${label.charAt(0).toLowerCase()}${label.slice(1)}`} onClick={copy}>
          {result === 'copied' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <span aria-live="polite" className="sr-only">
        {result === 'copied' ? 'Copied to the clipboard' : result === 'failed' ? 'Could not copy: select the text and copy it yourself' : ''}
      </span>
    </div>
  );
}

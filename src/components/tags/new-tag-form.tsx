'use client';
/** Creates a tag (name and colour); `onCreated` receives it, e.g. to put it on a track at once. */
import { useId, useState } from 'react';
import { api } from '~/trpc/react';
import type { RouterOutputs } from '~/trpc/types';
import { Button } from '../ui/button';
import { ColorPicker } from './color-picker';
import type { TagColor } from './tag-colors';

export function NewTagForm({ onCreated, disabled, compact }: { onCreated?: (tag: RouterOutputs['tags']['create']) => void; disabled?: boolean; compact?: boolean }) {
  const utils = api.useUtils();
  const id = useId();
  const [name, setName] = useState('');
  const [color, setColor] = useState<TagColor>('indigo');
  const create = api.tags.create.useMutation({ onSettled: () => utils.tags.list.invalidate() });
  return (
    <form
      aria-label="New tag"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!name.trim()) return;
        create.mutate(
          { name: name.trim(), color },
          {
            onSuccess: (tag) => {
              setName('');
              onCreated?.(tag);
            },
          },
        );
      }}
    >
      <label className="sr-only" htmlFor={id}>New tag name</label>
      <input
        id={id}
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={40}
        placeholder="New tag name"
        disabled={disabled}
        className="min-w-0 flex-1 rounded-md border border-zinc-300 px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
      />
      <ColorPicker label="New tag colour" value={color} onChange={setColor} disabled={disabled} />
      <Button type="submit" variant="primary" className="px-2.5 py-1 text-xs" disabled={disabled || create.isPending || !name.trim()}>
        {compact ? 'Create and add' : 'Create tag'}
      </Button>
      {create.error ? (
        <p role="alert" className="w-full text-xs text-rose-700">
          {create.error.message}
        </p>
      ) : null}
    </form>
  );
}

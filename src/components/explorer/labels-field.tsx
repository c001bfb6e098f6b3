'use client';
/** Labels to match (exact, any of them), typed or picked from the workspace's top labels, and "no label". */
import { useId, useState } from 'react';

export function LabelsField({ labels, noLabel, suggestions, onChange }: { labels: readonly string[]; noLabel: boolean; suggestions: readonly string[]; onChange: (labels: string[], noLabel: boolean) => void }) {
  const id = useId();
  const [text, setText] = useState('');
  const add = () => {
    const label = text.trim();
    if (label && !labels.some((one) => one.toLowerCase() === label.toLowerCase())) onChange([...labels, label], noLabel);
    setText('');
  };
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">Labels</label>
      <div className="mt-1 flex flex-wrap items-center gap-1">
        {labels.map((label) => (
          <span key={label} className="inline-flex items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-800 ring-1 ring-zinc-300 ring-inset">
            {label}
            <button type="button" aria-label={`Stop filtering by label ${label}`} onClick={() => onChange(labels.filter((one) => one !== label), noLabel)} className="rounded-full px-0.5 hover:bg-black/10 focus-visible:outline-2 focus-visible:outline-indigo-600">
              <span aria-hidden>×</span>
            </button>
          </span>
        ))}
        <input
          id={id}
          list={`${id}-suggestions`}
          value={text}
          maxLength={200}
          placeholder="Add a label"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
          onBlur={add}
          className="w-36 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none"
        />
        <datalist id={`${id}-suggestions`}>
          {suggestions.map((label) => (
            <option key={label} value={label} />
          ))}
        </datalist>
        <label className="ml-1 inline-flex items-center gap-1 text-xs text-zinc-700">
          <input type="checkbox" checked={noLabel} onChange={(event) => onChange([...labels], event.target.checked)} className="size-3.5" />
          No label
        </label>
      </div>
    </div>
  );
}

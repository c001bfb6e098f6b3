import { useId, type InputHTMLAttributes } from 'react';

/** A labelled input; an optional hint below it is tied to the input for screen readers. */
export function TextField({ label, hint, className = '', ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input
        id={id}
        aria-describedby={hintId}
        className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none read-only:bg-zinc-50"
        {...input}
      />
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

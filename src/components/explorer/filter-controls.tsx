'use client';
/** The explorer's filter controls: each labelled, each reporting a whole new value. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useDismissableDetails } from '../ui/use-dismissable-details';

const inputClass = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none';

/**
 * Text that follows the URL but commits on its own schedule: typing waits `delayMs` (0: on blur or
 * Enter only) before it changes the filter; a change of the URL from elsewhere (back, a saved view)
 * replaces what is shown.
 */
export function useCommittedText(urlValue: string, commit: (text: string) => void, delayMs: number) {
  const [text, setText] = useState(urlValue);
  const committed = useRef(urlValue);
  const latestCommit = useRef(commit);
  latestCommit.current = commit;
  useEffect(() => {
    if (urlValue !== committed.current) {
      committed.current = urlValue;
      setText(urlValue);
    }
  }, [urlValue]);
  const flush = (value = text) => {
    if (value === committed.current) return;
    committed.current = value;
    latestCommit.current(value);
  };
  useEffect(() => {
    if (delayMs <= 0 || text === committed.current) return;
    const timer = setTimeout(() => flush(text), delayMs);
    return () => clearTimeout(timer);
    // `flush` is a fresh closure each render; the text and the delay decide.
  }, [text, delayMs]);
  return { text, setText, flush };
}

export function SearchField({ value, onCommit }: { value: string; onCommit: (text: string) => void }) {
  const id = useId();
  const { text, setText, flush } = useCommittedText(value, onCommit, 300);
  return (
    <div className="min-w-48 flex-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">Search</label>
      <input
        id={id}
        type="search"
        value={text}
        maxLength={200}
        placeholder="Name, artist, album, ISRC, label, writer, producer"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => event.key === 'Enter' && flush()}
        className={`${inputClass} mt-1 w-full`}
      />
    </div>
  );
}

/** A whole number, or nothing; commits on blur or Enter. */
function NumberField({ label, value, max, onCommit }: { label: string; value: number | undefined; max?: number; onCommit: (value: number | undefined) => void }) {
  const id = useId();
  const { text, setText, flush } = useCommittedText(value === undefined ? '' : String(value), (next) => onCommit(next === '' ? undefined : Math.max(0, Math.min(max ?? Number.MAX_SAFE_INTEGER, Math.floor(Number(next))))), 0);
  return (
    <div>
      <label htmlFor={id} className="sr-only">{label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        value={text}
        placeholder={label.endsWith('minimum') ? 'min' : 'max'}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => flush()}
        onKeyDown={(event) => event.key === 'Enter' && flush()}
        className={`${inputClass} w-24 tabular-nums`}
      />
    </div>
  );
}

export function RangeFields({ label, min, max, limit, onChange }: { label: string; min: number | undefined; max: number | undefined; limit?: number; onChange: (min: number | undefined, max: number | undefined) => void }) {
  return (
    <fieldset>
      <legend className="text-xs font-medium text-zinc-600">{label}</legend>
      <div className="mt-1 flex items-center gap-1">
        <NumberField label={`${label} minimum`} value={min} max={limit} onCommit={(next) => onChange(next, max)} />
        <span aria-hidden className="text-zinc-400">–</span>
        <NumberField label={`${label} maximum`} value={max} max={limit} onCommit={(next) => onChange(min, next)} />
      </div>
    </fieldset>
  );
}

/** Any / yes / no. */
export function YesNoField({ label, value, onChange }: { label: string; value: boolean | undefined; onChange: (value: boolean | undefined) => void }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-zinc-600">{label}</label>
      <select id={id} value={value === undefined ? '' : value ? 'yes' : 'no'} onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value === 'yes')} className={`${inputClass} mt-1`}>
        <option value="">Any</option>
        <option value="yes">Yes</option>
        <option value="no">No</option>
      </select>
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
  decoration?: ReactNode;
}

/**
 * Several choices in a popover (a <details> disclosure: keyboard and screen readers know it),
 * summarised by how many are chosen.
 */
export function MultiPicker({ label, choices, value, onChange, empty }: { label: string; choices: readonly Choice[]; value: readonly string[]; onChange: (value: string[]) => void; empty: string }) {
  const { ref, onKeyDown } = useDismissableDetails();
  const chosen = choices.filter((choice) => value.includes(choice.value));
  return (
    <div>
      <span className="block text-xs font-medium text-zinc-600" aria-hidden>{label}</span>
      <details ref={ref} className="relative mt-1" onKeyDown={onKeyDown}>
        <summary aria-label={`${label}: ${chosen.length === 0 ? 'any' : chosen.map((choice) => choice.label).join(', ')}`} className={`${inputClass} flex max-w-56 cursor-pointer list-none items-center gap-1 truncate`}>
          <span className="truncate">{chosen.length === 0 ? 'Any' : chosen.length === 1 ? chosen[0]!.label : `${chosen.length} chosen`}</span>
          <span aria-hidden className="ml-auto text-[10px] text-zinc-400">▼</span>
        </summary>
        <fieldset className="absolute z-20 mt-1 max-h-72 w-64 overflow-auto rounded-lg border border-zinc-200 bg-white p-2 shadow-lg">
          <legend className="sr-only">{label}</legend>
          {choices.length === 0 ? <p className="px-1 py-1 text-sm text-zinc-500">{empty}</p> : null}
          {choices.map((choice) => (
            <label key={choice.value} className="flex cursor-pointer items-center gap-2 rounded px-1 py-1 text-sm hover:bg-zinc-50">
              <input
                type="checkbox"
                checked={value.includes(choice.value)}
                onChange={(event) => onChange(event.target.checked ? [...value, choice.value] : value.filter((one) => one !== choice.value))}
                className="size-3.5"
              />
              {choice.decoration}
              <span className="truncate">{choice.label}</span>
            </label>
          ))}
          {value.length > 0 ? (
            <button type="button" onClick={() => onChange([])} className="mt-1 w-full rounded px-1 py-1 text-left text-xs text-indigo-700 hover:bg-zinc-50">
              Clear {label.toLowerCase()}
            </button>
          ) : null}
        </fieldset>
      </details>
    </div>
  );
}

/** Toggle buttons for a few fixed values (statuses). */
export function ToggleGroup({ label, options, value, onChange }: { label: string; options: readonly string[]; value: readonly string[]; onChange: (value: string[]) => void }) {
  return (
    <div role="group" aria-label={label}>
      <span className="block text-xs font-medium text-zinc-600" aria-hidden>{label}</span>
      <div className="mt-1 flex flex-wrap gap-1">
        {options.map((option) => {
          const on = value.includes(option);
          return (
            <button
              key={option}
              type="button"
              aria-pressed={on}
              onClick={() => onChange(on ? value.filter((one) => one !== option) : [...value, option])}
              className={`rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-indigo-600 ${on ? 'bg-indigo-600 text-white ring-indigo-600' : 'bg-white text-zinc-700 ring-zinc-300 hover:bg-zinc-50'}`}
            >
              {option}
            </button>
          );
        })}
      </div>
    </div>
  );
}

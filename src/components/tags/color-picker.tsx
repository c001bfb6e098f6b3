'use client';
/** The tag colours as a radio group of swatches (each with its name for screen readers). */
import { useId } from 'react';
import { tagColorLooks, tagColorNames, type TagColor } from './tag-colors';

export function ColorPicker({ value, onChange, label, disabled }: { value: TagColor; onChange: (color: TagColor) => void; label: string; disabled?: boolean }) {
  const name = useId();
  return (
    <fieldset className="flex items-center gap-1" disabled={disabled}>
      <legend className="sr-only">{label}</legend>
      {tagColorNames.map((color) => (
        <label key={color} title={color} className="relative grid size-6 cursor-pointer place-items-center">
          <input type="radio" name={name} value={color} checked={value === color} onChange={() => onChange(color)} className="peer sr-only" />
          <span className="sr-only">{color}</span>
          <span aria-hidden className={`size-4 rounded-full ${tagColorLooks[color].swatch} ring-offset-1 peer-checked:ring-2 peer-checked:ring-zinc-900 peer-focus-visible:outline-2 peer-focus-visible:outline-indigo-600`} />
        </label>
      ))}
    </fieldset>
  );
}

/**
 * How each tag colour looks. The names come from the API (tags.create's `color`); the classes are
 * spelled out in full so Tailwind keeps them. Typed against the API, so a colour added there
 * fails compilation here until it has a look.
 */
import type { RouterInputs } from '~/trpc/types';

export type TagColor = RouterInputs['tags']['create']['color'];

export const tagColorLooks = {
  slate: { chip: 'bg-slate-100 text-slate-800 ring-slate-300', swatch: 'bg-slate-500' },
  red: { chip: 'bg-red-50 text-red-800 ring-red-300', swatch: 'bg-red-500' },
  amber: { chip: 'bg-amber-50 text-amber-900 ring-amber-300', swatch: 'bg-amber-500' },
  emerald: { chip: 'bg-emerald-50 text-emerald-800 ring-emerald-300', swatch: 'bg-emerald-500' },
  sky: { chip: 'bg-sky-50 text-sky-800 ring-sky-300', swatch: 'bg-sky-500' },
  indigo: { chip: 'bg-indigo-50 text-indigo-800 ring-indigo-300', swatch: 'bg-indigo-500' },
  violet: { chip: 'bg-violet-50 text-violet-800 ring-violet-300', swatch: 'bg-violet-500' },
  pink: { chip: 'bg-pink-50 text-pink-800 ring-pink-300', swatch: 'bg-pink-500' },
} as const satisfies Record<TagColor, { chip: string; swatch: string }>;

export const tagColorNames = Object.keys(tagColorLooks) as TagColor[];

/** A colour the UI does not know (a newer server) still shows, as slate. */
export function lookOf(color: string) {
  return tagColorLooks[color as TagColor] ?? tagColorLooks.slate;
}

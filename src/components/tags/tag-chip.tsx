/** A tag on a track: its name in its colour, and optionally a button that takes it off. */
import { lookOf } from './tag-colors';

export interface ChipTag {
  id: string;
  name: string;
  color: string;
}

export function TagChip({ tag, onRemove, disabled }: { tag: ChipTag; onRemove?: () => void; disabled?: boolean }) {
  return (
    <span
      data-testid="tag-chip"
      data-tag-id={tag.id}
      data-color={tag.color}
      className={`inline-flex max-w-40 items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${lookOf(tag.color).chip}`}
    >
      <span className="truncate">{tag.name}</span>
      {onRemove ? (
        <button
          type="button"
          onClick={onRemove}
          disabled={disabled}
          aria-label={`Remove tag ${tag.name}`}
          className="-mr-1 grid size-4 place-items-center rounded-full hover:bg-black/10 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          <span aria-hidden>×</span>
        </button>
      ) : null}
    </span>
  );
}

/** A labelled progress bar; `value` of `max`, or indeterminate when max is unknown. */
export function ProgressBar({ value, max, label, tone = 'indigo', className = '' }: { value: number; max: number | null; label: string; tone?: 'indigo' | 'emerald' | 'rose' | 'zinc' | 'amber'; className?: string }) {
  const share = max && max > 0 ? Math.min(1, value / max) : 0;
  const colors = { indigo: 'bg-indigo-500', emerald: 'bg-emerald-500', rose: 'bg-rose-500', zinc: 'bg-zinc-400', amber: 'bg-amber-500' };
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max ?? undefined}
      aria-valuenow={max ? value : undefined}
      className={`h-2 w-full overflow-hidden rounded-full bg-zinc-200 ${className}`}
    >
      <div className={`h-full rounded-full transition-[width] duration-300 ${colors[tone]}`} style={{ width: `${Math.round(share * 1000) / 10}%` }} />
    </div>
  );
}

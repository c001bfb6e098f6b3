/** The unsigned score (0-10) with a small bar: the number is the value, the bar a glance. */
export function ScoreMeter({ score, size = 'small' }: { score: number; size?: 'small' | 'large' }) {
  const share = Math.max(0, Math.min(1, score / 10));
  const tone = score >= 8 ? 'bg-emerald-500' : score >= 6 ? 'bg-indigo-500' : score >= 4 ? 'bg-amber-500' : 'bg-zinc-400';
  if (size === 'large') {
    return (
      <div className="flex flex-col items-end gap-1" data-testid="songwriter-score" data-score={score}>
        <p className="text-4xl font-semibold tracking-tight text-zinc-900 tabular-nums">
          {score.toFixed(1)}
          <span className="text-base font-normal text-zinc-500"> / 10</span>
        </p>
        <div aria-hidden className="h-2 w-32 overflow-hidden rounded-full bg-zinc-200">
          <div className={`h-full rounded-full ${tone}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      </div>
    );
  }
  return (
    <span className="inline-flex items-center gap-2" data-testid="lead-score" data-score={score}>
      <span className="w-7 text-right font-medium text-zinc-900 tabular-nums">{score.toFixed(1)}</span>
      <span aria-hidden className="h-1.5 w-14 overflow-hidden rounded-full bg-zinc-200">
        <span className={`block h-full rounded-full ${tone}`} style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </span>
  );
}

/**
 * Why a songwriter scored what they did: each category with its points of its maximum and the
 * evidence sentences behind it, in the scoring's order. This is the product's answer to "who do
 * we call first": a scout reads it and checks it, so every line says what was found where.
 */
import { LocalTime } from '../ui/local-time';
import type { ScoreBreakdownData } from './songwriter-types';

/** What each category asks, in a scout's words (the label comes from the server). */
const questions: Record<string, string> = {
  publishing: 'Does any publisher hold a share of their works?',
  pathway: 'How are their records released: DIY, independent distributor, independent label, major?',
  earlyCareer: 'Are they on early-career playlists?',
  sparsity: 'How thin is the metadata about them?',
  independentCatalog: 'Do they keep releasing independently?',
  noIdentity: 'Do they have an IPI on record?',
};

const points = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

export function ScoreBreakdown({ breakdown, scoredAt }: { breakdown: ScoreBreakdownData | null; scoredAt: string | null }) {
  if (!breakdown) {
    return (
      <section aria-labelledby="score-breakdown-title" data-testid="score-breakdown" data-scored="false">
        <h2 id="score-breakdown-title" className="text-sm font-semibold text-zinc-900">Why this score</h2>
        <p className="mt-1 text-sm text-zinc-500">Not scored yet: no credited track of theirs has finished enrichment.</p>
      </section>
    );
  }
  const sum = breakdown.categories.reduce((total, category) => total + category.points, 0);
  return (
    <section aria-labelledby="score-breakdown-title" data-testid="score-breakdown" data-scored="true" className="space-y-3">
      <div>
        <h2 id="score-breakdown-title" className="text-sm font-semibold text-zinc-900">Why this score</h2>
        <p className="text-xs text-zinc-500">
          {points(breakdown.total)} of 10 from {breakdown.tracks} credited {breakdown.tracks === 1 ? 'track' : 'tracks'}
          {sum > 10 ? ` (the categories add up to ${points(sum)}; the score stops at 10)` : ''}
          {scoredAt ? (
            <>
              {' '}· scored <LocalTime iso={scoredAt} />
            </>
          ) : null}
        </p>
      </div>
      <ol className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
        {breakdown.categories.map((category) => {
          const share = category.max > 0 ? Math.max(0, Math.min(1, category.points / category.max)) : 0;
          const earned = category.points > 0;
          return (
            <li key={category.key} data-testid="score-category" data-key={category.key} data-points={category.points} className="px-3 py-3">
              <div className="flex items-start justify-between gap-3">
                <div className="min-w-0 flex-1">
                  <h3 className={`text-sm font-medium ${earned ? 'text-zinc-900' : 'text-zinc-600'}`}>{category.label}</h3>
                  {questions[category.key] ? <p className="text-xs text-zinc-500">{questions[category.key]}</p> : null}
                </div>
                <div className="flex shrink-0 items-center gap-2 pt-0.5">
                  <span aria-hidden className="hidden h-1.5 w-16 sm:block overflow-hidden rounded-full bg-zinc-200">
                    <span className={`block h-full rounded-full ${earned ? 'bg-emerald-500' : 'bg-zinc-300'}`} style={{ width: `${Math.round(share * 100)}%` }} />
                  </span>
                  <span className={`text-sm tabular-nums ${earned ? 'font-semibold text-zinc-900' : 'text-zinc-500'}`} data-testid="score-category-points">
                    {points(category.points)} / {points(category.max)}
                  </span>
                </div>
              </div>
              {category.evidence.length > 0 ? (
                <ul className="mt-2 list-disc space-y-0.5 pl-5 text-sm text-zinc-700">
                  {category.evidence.map((sentence, index) => (
                    <li key={index} data-testid="score-evidence">{sentence}</li>
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-zinc-400">No evidence recorded.</p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** One enrichment phase's bar: its name, state and done/total (the stats phase adds Chartmetric's own count). */
import { enrichmentPhases, phaseNames, type EnrichmentPhase } from '~/server/events/catalog';
import type { JobView } from '../live/jobs-state';
import { ProgressBar } from '../ui/progress-bar';

const stateTone = { pending: 'zinc', started: 'indigo', completed: 'emerald', failed: 'rose' } as const;

export function PhaseProgress({ job, phase }: { job: JobView; phase: EnrichmentPhase }) {
  const progress = job.phaseProgress[phase];
  const name = phaseNames[phase];
  const current = job.phase === phase && job.status === 'running';
  const chartmetric = phase === 3 ? job.chartmetric : null;
  return (
    <div data-testid={`phase-${phase}`} data-state={progress.state} className="min-w-0">
      <div className="mb-1 flex items-baseline justify-between gap-2 text-xs">
        <span className={`font-medium ${current ? 'text-indigo-700' : 'text-zinc-600'}`}>
          {phase}/{enrichmentPhases.length} {name}
        </span>
        <span className="text-zinc-500 tabular-nums">
          {progress.state === 'pending' ? 'waiting' : progress.state === 'failed' ? 'failed' : `${progress.done}/${progress.total}`}
        </span>
      </div>
      <ProgressBar value={progress.done} max={progress.total || (progress.state === 'completed' ? 1 : 0)} label={`Phase ${phase} ${name}`} tone={stateTone[progress.state]} />
      {chartmetric ? (
        <p className="mt-1 text-xs text-zinc-500 tabular-nums" data-testid="chartmetric-progress">
          Chartmetric {chartmetric.done}/{chartmetric.total}
        </p>
      ) : null}
      {progress.error ? <p className="mt-1 text-xs break-words text-rose-700">{progress.error}</p> : null}
    </div>
  );
}

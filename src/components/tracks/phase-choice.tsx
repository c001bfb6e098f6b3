'use client';
/** Which enrichment phases to run again, as a group of checkboxes (all of them by default). */
import { enrichmentPhases, phaseNames, type EnrichmentPhase } from '~/server/events/catalog';

export const allPhases: EnrichmentPhase[] = [...enrichmentPhases];

export function PhaseChoice({ value, onChange, disabled, idPrefix }: { value: readonly EnrichmentPhase[]; onChange: (phases: EnrichmentPhase[]) => void; disabled?: boolean; idPrefix: string }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-x-3 gap-y-1" disabled={disabled}>
      <legend className="sr-only">Phases to run</legend>
      {enrichmentPhases.map((phase) => (
        <label key={phase} htmlFor={`${idPrefix}-phase-${phase}`} className="inline-flex items-center gap-1 text-xs text-zinc-700">
          <input
            id={`${idPrefix}-phase-${phase}`}
            type="checkbox"
            checked={value.includes(phase)}
            onChange={(event) => onChange(event.target.checked ? [...value, phase].sort() : value.filter((p) => p !== phase))}
            className="size-3.5 rounded border-zinc-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          {phase} {phaseNames[phase]}
        </label>
      ))}
    </fieldset>
  );
}

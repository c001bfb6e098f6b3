'use client';
/** The leads filters (songwriters list, contacts list and board): each change is a new URL (use-leads-url.ts). */
import { useId } from 'react';
import { MultiPicker, ToggleGroup, useCommittedText } from '../explorer/filter-controls';
import { Button } from '../ui/button';
import {
  activeLeadsFilterCount,
  clearedLeadsQuery,
  contactStages,
  publisherStatuses,
  scoreBandOf,
  scoreBands,
  stageFilterLabel,
  withScoreBand,
  type LeadsQuery,
  type PublisherStatus,
  type StageFilter,
} from './leads-query';
import { useOwnerChoices } from './use-owner-choices';

const inputClass = 'mt-1 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none';

function LeadsSearch({ value, onCommit }: { value: string; onCommit: (text: string) => void }) {
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
        placeholder="Name, credited name or IPI"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => event.key === 'Enter' && flush()}
        className={`${inputClass} w-full`}
      />
    </div>
  );
}

export function LeadsFilters({ query, setQuery, withNoContact = true }: { query: LeadsQuery; setQuery: (change: (query: LeadsQuery) => LeadsQuery) => void; withNoContact?: boolean }) {
  const scoreId = useId();
  const ownerId = useId();
  const { owners, me, loading } = useOwnerChoices();
  const band = scoreBandOf(query);
  const stageChoices: StageFilter[] = withNoContact ? [...contactStages, 'none'] : [...contactStages];
  const stages = query.stages?.filter((stage) => withNoContact || stage !== 'none');
  const count = activeLeadsFilterCount({ ...query, stages: stages && stages.length > 0 ? stages : undefined });
  const set = <K extends keyof LeadsQuery>(key: K, value: LeadsQuery[K] | undefined) =>
    setQuery((current) => {
      const next = { ...current };
      if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[key];
      else next[key] = value;
      return next;
    });
  return (
    <section aria-label="Filters" className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm" data-testid="leads-filters">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
        <LeadsSearch value={query.q ?? ''} onCommit={(q) => set('q', q.trim() || undefined)} />
        <div>
          <label htmlFor={scoreId} className="block text-xs font-medium text-zinc-600">Score</label>
          <select id={scoreId} value={band} onChange={(event) => setQuery((current) => withScoreBand(current, event.target.value))} className={inputClass}>
            <option value="">Any score</option>
            {scoreBands.map((one) => (
              <option key={one.value} value={one.value}>{one.label}</option>
            ))}
            {band === 'custom' ? <option value="custom">{`${query.scoreMin ?? 0} – ${query.scoreMax ?? 10}`}</option> : null}
          </select>
        </div>
        <ToggleGroup label="Publisher status" options={publisherStatuses} value={query.publisherStatuses ?? []} onChange={(value) => set('publisherStatuses', value as PublisherStatus[])} />
        <MultiPicker
          label="Stage"
          choices={stageChoices.map((stage) => ({ value: stage, label: stageFilterLabel(stage) }))}
          value={query.stages ?? []}
          onChange={(value) => set('stages', value as StageFilter[])}
          empty=""
        />
        <div>
          <label htmlFor={ownerId} className="block text-xs font-medium text-zinc-600">Owner</label>
          <select id={ownerId} value={query.ownerId ?? ''} onChange={(event) => set('ownerId', event.target.value || undefined)} className={`${inputClass} max-w-48`}>
            <option value="">Anyone</option>
            <option value="none">Nobody</option>
            {owners.map((owner) => (
              <option key={owner.id} value={owner.id}>{owner.id === me ? `${owner.name} (me)` : owner.name}</option>
            ))}
            {query.ownerId && query.ownerId !== 'none' && !owners.some((owner) => owner.id === query.ownerId) ? (
              <option value={query.ownerId}>{loading ? 'Loading…' : 'A former member'}</option>
            ) : null}
          </select>
        </div>
        {count > 0 ? (
          <Button variant="ghost" className="ml-auto text-xs" onClick={() => setQuery(clearedLeadsQuery)}>
            Clear {count} {count === 1 ? 'filter' : 'filters'}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

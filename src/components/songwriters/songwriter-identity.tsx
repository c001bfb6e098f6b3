'use client';
/**
 * Who this record is: the names and IPIs credited to it, splitting some off into a record of
 * their own, merging another record into this one (found by name), and the history of those
 * operations, each undoable while no later one depends on it.
 */
import Link from 'next/link';
import { useId, useState } from 'react';
import { api } from '~/trpc/react';
import { useToast } from '../toasts/toast-provider';
import { Button } from '../ui/button';
import { LocalTime } from '../ui/local-time';
import { useMayChange } from '../workspace/workspace-queries';
import { ScoreMeter } from './score-meter';
import type { SongwriterData } from './songwriter-types';

type AliasRecord = SongwriterData['aliasRecords'][number];
const aliasKey = (alias: Pick<AliasRecord, 'kind' | 'key'>) => `${alias.kind}:${alias.key}`;

function AliasesAndSplit({ detail }: { detail: SongwriterData }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [splitTo, setSplitTo] = useState<{ songwriterId: string; operationId: string } | null>(null);
  // Once that split is undone, the new record is gone (merged back into this one).
  const splitStands = splitTo !== null && detail.operations.some((operation) => operation.id === splitTo.operationId && !operation.undoneAt);
  const utils = api.useUtils();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const split = api.songwriters.split.useMutation({
    onSuccess: (result, input) => {
      setChosen(new Set());
      setSplitTo(result);
      void utils.songwriters.invalidate();
      toast({ tone: 'success', title: `Split off ${input.aliases.length} ${input.aliases.length === 1 ? 'name' : 'names'} from ${detail.name}`, body: 'Into a new record of their own; undo it from the history.' });
    },
    onError: (error) => toast({ tone: 'error', title: 'Could not split', body: error.message }),
  });
  const aliases = detail.aliasRecords;
  // A name that left the record meanwhile (someone else split or merged) is no longer ticked.
  const selected = aliases.filter((alias) => chosen.has(aliasKey(alias)));
  const all = selected.length > 0 && selected.length === aliases.length;
  return (
    <fieldset className="space-y-2" data-testid="songwriter-aliases">
      <legend className="text-sm font-semibold text-zinc-900">Names and IPIs</legend>
      <p className="text-xs text-zinc-500">Credits under a name or IPI go to the record that holds it. Tick the ones that are somebody else and split them off.</p>
      <ul className="space-y-1">
        {aliases.map((alias) => {
          const key = aliasKey(alias);
          return (
            <li key={key}>
              <label className="flex cursor-pointer items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-zinc-50">
                <input
                  type="checkbox"
                  className="size-3.5"
                  disabled={!mayChange}
                  checked={chosen.has(key)}
                  onChange={(event) =>
                    setChosen((current) => {
                      const next = new Set(current);
                      if (event.target.checked) next.add(key);
                      else next.delete(key);
                      return next;
                    })
                  }
                />
                {alias.kind === 'ipi' ? (
                  <span>
                    <span className="font-mono text-xs">IPI {alias.key}</span> <span className="text-xs text-zinc-500">(with {alias.display})</span>
                  </span>
                ) : (
                  <span>{alias.display}</span>
                )}
                <span className="ml-auto text-xs text-zinc-500 tabular-nums">{alias.tracks} {alias.tracks === 1 ? 'track' : 'tracks'}</span>
              </label>
            </li>
          );
        })}
      </ul>
      <div className="flex items-center gap-2">
        <Button
          className="px-2.5 py-1 text-xs"
          disabled={!mayChange || selected.length === 0 || all || split.isPending}
          title={why ?? (all ? 'Leave at least one name on this record' : undefined)}
          onClick={() =>
            split.mutate({
              id: detail.id,
              aliases: selected.map((alias) => ({ kind: alias.kind, key: alias.key })),
            })
          }
        >
          {split.isPending ? 'Splitting…' : selected.length > 0 ? `Split off ${selected.length} selected` : 'Split off'}
        </Button>
        {all ? <p className="text-xs text-zinc-500">Leave at least one name on this record.</p> : null}
        {splitTo && splitStands && !all ? (
          <Link href={`/songwriters/${splitTo.songwriterId}`} data-testid="split-record-link" className="text-xs text-indigo-700 hover:underline">
            Open the new record
          </Link>
        ) : null}
      </div>
    </fieldset>
  );
}

function MergeSearch({ detail }: { detail: SongwriterData }) {
  const id = useId();
  const [text, setText] = useState('');
  const q = text.trim();
  const utils = api.useUtils();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const found = api.songwriters.list.useQuery({ q, limit: 8, sort: 'name', dir: 'asc' }, { enabled: q.length >= 2 });
  const merge = api.songwriters.merge.useMutation({
    onSuccess: (_result, input) => {
      setText('');
      void utils.songwriters.invalidate();
      toast({ tone: 'success', title: `Merged into ${detail.name}`, body: `${input.ids.length === 1 ? 'One record' : `${input.ids.length} records`} merged; undo it from the history.` });
    },
    onError: (error) => toast({ tone: 'error', title: 'Could not merge', body: error.message }),
  });
  const others = (found.data?.items ?? []).filter((row) => row.id !== detail.id);
  return (
    <div className="space-y-2" data-testid="merge-search">
      <label htmlFor={id} className="block text-sm font-semibold text-zinc-900">Merge another songwriter into this one</label>
      <input
        id={id}
        type="search"
        value={text}
        maxLength={200}
        disabled={!mayChange}
        title={why}
        placeholder="Search by name or IPI"
        onChange={(event) => setText(event.target.value)}
        className="w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 focus:outline-none disabled:bg-zinc-50"
      />
      {q.length >= 2 ? (
        found.isPending ? (
          <p className="text-xs text-zinc-500">Searching…</p>
        ) : others.length === 0 ? (
          <p className="text-xs text-zinc-500">No other songwriter matches “{q}”.</p>
        ) : (
          <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200">
            {others.map((row) => (
              <li key={row.id} data-testid="merge-candidate" className="flex items-center gap-2 px-2 py-1.5 text-sm">
                <div className="min-w-0 flex-1">
                  <Link href={`/songwriters/${row.id}`} className="truncate font-medium text-zinc-900 hover:underline">{row.name}</Link>
                  <p className="truncate text-xs text-zinc-500">
                    {row.trackCount} {row.trackCount === 1 ? 'track' : 'tracks'}
                    {row.ipis.length > 0 ? ` · IPI ${row.ipis.join(', ')}` : ''}
                    {row.contact ? ' · a contact' : ''}
                  </p>
                </div>
                <ScoreMeter score={row.score} />
                <Button className="px-2 py-1 text-xs" disabled={!mayChange || merge.isPending} onClick={() => merge.mutate({ intoId: detail.id, ids: [row.id] })} aria-label={`Merge ${row.name} into ${detail.name}`}>
                  Merge in
                </Button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

function OperationsHistory({ detail }: { detail: SongwriterData }) {
  const utils = api.useUtils();
  const toast = useToast();
  const { mayChange, why } = useMayChange();
  const undo = api.songwriters.undo.useMutation({
    onSuccess: () => {
      void utils.songwriters.invalidate();
      toast({ tone: 'success', title: 'Undone' });
    },
    onError: (error) => toast({ tone: 'error', title: 'Could not undo', body: error.message }),
  });
  return (
    <section aria-labelledby="identity-history-title" className="space-y-2">
      <h3 id="identity-history-title" className="text-sm font-semibold text-zinc-900">Merges and splits</h3>
      {detail.operations.length === 0 ? (
        <p className="text-sm text-zinc-400">None yet.</p>
      ) : (
        <ol className="space-y-2" data-testid="identity-operations">
          {detail.operations.map((operation) => (
            <li key={operation.id} data-testid="identity-operation" data-kind={operation.kind} data-undone={operation.undoneAt ? 'true' : 'false'} className="flex items-start gap-2 text-sm">
              <div className="min-w-0 flex-1">
                <p className={operation.undoneAt ? 'text-zinc-500 line-through' : 'text-zinc-800'}>{operation.summary}</p>
                <p className="text-xs text-zinc-500">
                  <LocalTime iso={operation.at} />
                  {operation.byName ? ` · ${operation.byName}` : ''}
                  {operation.undoneAt ? (
                    <>
                      {' '}· undone <LocalTime iso={operation.undoneAt} />
                    </>
                  ) : null}
                </p>
              </div>
              {operation.undoable ? (
                <Button className="px-2 py-1 text-xs" disabled={!mayChange || undo.isPending} title={why} onClick={() => undo.mutate({ operationId: operation.id })}>
                  Undo
                </Button>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function SongwriterIdentity({ detail }: { detail: SongwriterData }) {
  return (
    <div className="space-y-5">
      <AliasesAndSplit detail={detail} />
      <MergeSearch detail={detail} />
      <OperationsHistory detail={detail} />
    </div>
  );
}

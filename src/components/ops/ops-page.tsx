'use client';
/**
 * The operator's live view of this server: connections, subscriptions, event rates, queue depth,
 * outbox lag and resyncs, one sample a second from the `ops.live` subscription, with the last
 * minute drawn small. The same figures as /metrics, for a person instead of Prometheus.
 */
import { useState } from 'react';
import { api } from '~/trpc/react';
import type { RouterOutputs } from '~/trpc/types';
import { Card, EmptyState, PageHeader } from '../ui/card';
import { formatCount } from '../ui/number-format';
import { Sparkline } from '../ui/sparkline';

type Sample = RouterOutputs['ops']['live'] extends AsyncIterable<infer S> ? S : never;

const KEPT = 60;

export function OpsPage() {
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);
  api.ops.live.useSubscription(undefined, {
    onData: (sample) => setSamples((previous) => [...previous.slice(-(KEPT - 1)), sample as Sample]),
    onError: (cause) => setError(cause.message),
  });
  const latest = samples.at(-1);
  const series = (pick: (sample: Sample) => number) => samples.map(pick);
  const resyncsLastMinute = samples.reduce((total, sample) => total + Object.values(sample.resyncs).reduce((a, b) => a + b, 0), 0);
  return (
    <div>
      <PageHeader title="Ops" description="This server process, live: every workspace's connections and events. Updated every second." />
      {error ? <p role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">{error}</p> : null}
      {!latest ? (
        <EmptyState>Waiting for the first sample…</EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <Figure title="Connections" value={`${latest.connections.ws} WebSocket · ${latest.connections.sse} SSE`}>
            <Sparkline label="Open connections over the last minute" values={series((s) => s.connections.ws + s.connections.sse)} />
          </Figure>
          <Figure title="Events published per second" value={formatCount(latest.publishedPerSecond)}>
            <Sparkline label="Events published per second over the last minute" values={series((s) => s.publishedPerSecond)} />
          </Figure>
          <Figure title="Events delivered per second" value={`${formatCount(latest.deliveredPerSecond)} (${formatCount(latest.conflatedPerSecond)} conflated)`}>
            <Sparkline label="Events delivered per second over the last minute" values={series((s) => s.deliveredPerSecond)} />
          </Figure>
          <Figure title="Queued in subscribers" value={`${formatCount(Math.round(latest.queuedBytes / 1024))} KB · outbox lag ${formatCount(latest.outboxLag)}`}>
            <Sparkline label="Bytes queued for subscribers over the last minute" values={series((s) => s.queuedBytes)} />
          </Figure>
          <Figure title="Resyncs in the last minute" value={formatCount(resyncsLastMinute)}>
            <Sparkline label="Resyncs per second over the last minute" values={series((s) => Object.values(s.resyncs).reduce((a, b) => a + b, 0))} />
          </Figure>
          <Figure title="Memory" value={`${latest.heapMb} MB heap · ${latest.rssMb} MB RSS · ${latest.watchedGrants} grants watched`}>
            <Sparkline label="Heap over the last minute" values={series((s) => s.heapMb)} />
          </Figure>
          <Card title="Open subscriptions" className="md:col-span-2">
            <ul className="grid gap-1 text-sm sm:grid-cols-3">
              {Object.entries(latest.subscriptions).length === 0 ? <li className="text-zinc-500">None</li> : null}
              {Object.entries(latest.subscriptions).map(([procedure, count]) => (
                <li key={procedure} className="flex justify-between gap-2 rounded bg-zinc-50 px-2 py-1">
                  <span className="font-mono text-xs">{procedure}</span>
                  <span className="tabular-nums">{formatCount(count)}</span>
                </li>
              ))}
            </ul>
          </Card>
        </div>
      )}
    </div>
  );
}

function Figure({ title, value, children }: { title: string; value: string; children: React.ReactNode }) {
  return (
    <Card title={title}>
      <p className="mb-2 text-lg font-semibold tabular-nums text-zinc-900">{value}</p>
      {children}
    </Card>
  );
}

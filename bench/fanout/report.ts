/** The readable form of the fan-out results: one table, ratios to raw `ws` of the same N and run. */
import type { Row, Timing } from './protocol';

export interface RunContext {
  date: string;
  machine: string;
  load: string;
  minutes: string;
  timing: Timing;
}

export function renderTable(rows: Row[], context: RunContext): string {
  const baseline = (n: number) => rows.find((row) => row.transport === 'raw-ws' && row.n === n);
  const header =
    '| transport | handler | batching | N | msgs/s | events/s | ratio (msgs) | ratio (events) | p50 ms | p99 ms | p99 ratio | CPU µs/msg | RSS KB/subscriber | heap KB/subscriber |';
  const lines = rows.map((row) => {
    const base = baseline(row.n);
    const eventsRatio = base ? (row.eventsPerSec / base.msgsPerSec).toFixed(2) : '-';
    const p99Ratio = base ? (row.p99Ms / base.p99Ms).toFixed(2) : '-';
    const handler = row.transport === 'ws' ? (row.handler ?? 'linernotes') : (row.handler ?? '-');
    return `| ${row.transport} | ${handler} | ${row.batching ? 'on' : 'off'} | ${row.n} | ${row.msgsPerSec.toLocaleString('en')} | ${row.eventsPerSec.toLocaleString('en')} | ${row.ratio.toFixed(2)} | ${eventsRatio} | ${row.p50Ms} | ${row.p99Ms} | ${p99Ratio} | ${row.cpuUsPerMsg} | ${row.rssKbPerSubscriber} | ${row.heapKbPerSubscriber} |`;
  });
  return [
    `# Fan-out benchmark (${context.date})`,
    '',
    `Machine: ${context.machine}; load average at the end: ${context.load}; run took ${context.minutes} min.`,
    `Phases per row: ${context.timing.warmupMs} ms warm-up, ${context.timing.saturationMs} ms saturation (bounded in-flight window),`,
    `${context.timing.latencyMs} ms at a fixed ${context.timing.latencyMsgsPerSec.toLocaleString('en')} messages/s for latency. Server and clients in separate processes on loopback.`,
    'Ratios are to the raw `ws` row of the same N in this run (events ratio: events/s over raw msgs/s, raw sends one event per message).',
    'Other work on this machine makes the figures noisy: compare rows of one run, not runs.',
    '',
    header,
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
    '',
  ].join('\n');
}

/**
 * The readable form of the fan-out results: one table, every ratio against both raw `ws` rows of
 * the same N and run (the naive broadcast and the corked one).
 */
import type { Row, Timing } from './protocol';

export interface RunContext {
  date: string;
  machine: string;
  load: string;
  minutes: string;
  timing: Timing;
}

const ratio = (value: number, base: number | undefined) => (base ? Number((value / base).toFixed(3)) : 0);

/**
 * Each row's ratios to the naive (`raw-ws`) and corked (`raw-ws-corked`) baselines of its N; 0
 * where that baseline was not run. A raw row sends one event per message, so the events ratios
 * divide by the baseline's msgs/s.
 */
export function fillRatios(rows: Row[]): void {
  const baseline = (transport: Row['transport'], n: number) => rows.find((row) => row.transport === transport && row.n === n);
  for (const row of rows) {
    const raw = baseline('raw-ws', row.n);
    const corked = baseline('raw-ws-corked', row.n);
    row.ratio = ratio(row.msgsPerSec, raw?.msgsPerSec);
    row.ratioCorked = ratio(row.msgsPerSec, corked?.msgsPerSec);
    row.eventsRatio = ratio(row.eventsPerSec, raw?.msgsPerSec);
    row.eventsRatioCorked = ratio(row.eventsPerSec, corked?.msgsPerSec);
    row.p99Ratio = ratio(row.p99Ms, raw?.p99Ms);
    row.p99RatioCorked = ratio(row.p99Ms, corked?.p99Ms);
  }
}

const shown = (value: number) => (value ? value.toFixed(2) : '-');

export function renderTable(rows: Row[], context: RunContext): string {
  const header =
    '| transport | handler | client | batching | N | msgs/s | events/s | ratio (msgs) vs raw | ratio (msgs) vs corked | ratio (events) vs raw | ratio (events) vs corked | p50 ms | p99 ms | p99 ratio vs raw | p99 ratio vs corked | CPU µs/msg | RSS KB/subscriber | heap KB/subscriber |';
  const lines = rows.map((row) => {
    const handler = row.transport === 'ws' ? (row.handler ?? 'linernotes') : (row.handler ?? '-');
    const client = row.client === 'trpc-client' ? `@trpc/client (${row.clientProcesses ?? 1} procs)` : 'wire';
    return `| ${row.transport} | ${handler} | ${client} | ${row.batching ? 'on' : 'off'} | ${row.n} | ${row.msgsPerSec.toLocaleString('en')} | ${row.eventsPerSec.toLocaleString('en')} | ${shown(row.ratio)} | ${shown(row.ratioCorked)} | ${shown(row.eventsRatio)} | ${shown(row.eventsRatioCorked)} | ${row.p50Ms} | ${row.p99Ms} | ${shown(row.p99Ratio)} | ${shown(row.p99RatioCorked)} | ${row.cpuUsPerMsg} | ${row.rssKbPerSubscriber} | ${row.heapKbPerSubscriber} |`;
  });
  return [
    `# Fan-out benchmark (${context.date})`,
    '',
    `Machine: ${context.machine}; load average at the end: ${context.load}; run took ${context.minutes} min.`,
    `Phases per row: ${context.timing.warmupMs} ms warm-up, ${context.timing.saturationMs} ms saturation (bounded in-flight window),`,
    `${context.timing.latencyMs} ms at a fixed ${context.timing.latencyMsgsPerSec.toLocaleString('en')} messages/s for latency. Server and clients in separate processes on loopback.`,
    'Two baselines, both a bare `ws` server broadcasting each bus event (serialized once) to every socket:',
    '`raw-ws` (naive) makes one write per message per socket, which is what the old app did;',
    '`raw-ws-corked` corks each socket for the event-loop turn (one `send` per event, uncorked in a `process.nextTick`, as our transport does),',
    'so a socket\'s frames of one turn leave in one `writev`: that row is the limit a socket can do through `ws`, and the ratio to beat.',
    'Every ratio is given against both, same N, same run ("vs raw": the naive row; "vs corked": the corked row; events ratio: events/s over the baseline\'s msgs/s,',
    'a raw row sends one event per message; p99 ratio: below 1 is better).',
    'Client `wire`: the bench\'s own clients, all N in one process, speaking the wire protocol; `@trpc/client`: the stock `createWSClient` + `wsLink`, spread over that many processes.',
    'Other work on this machine makes the figures noisy: compare rows of one run, not runs.',
    '',
    header,
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lines,
    '',
  ].join('\n');
}
